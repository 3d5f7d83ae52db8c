// TEMPORARY development registry (MLP only) until the models branch lands; replaced by it.
using TorchSharp;
using static TorchSharp.torch;
namespace Shatter.Models;
public sealed record ModelSpec(string Name, string Family, double DefaultLearningRate, string Description);
public sealed record ModelOptions(double Dropout = 0);
public static class ModelRegistry
{
    public static ModelSpec Describe(string name) => name.StartsWith("mlp") ? new(name, "mlp", 0.01, "mlp") : throw new ShatterException($"unknown model '{name}'.");
    public static nn.Module<Tensor, Tensor> Create(string name, (int Channels, int Height, int Width) input, int classes, ModelOptions options)
    {
        Describe(name);
        int width = 512, depth = name == "mlp-3x512" ? 3 : 1;
        var layers = new List<nn.Module<Tensor, Tensor>> { nn.Flatten() };
        int prev = input.Channels * input.Height * input.Width;
        for (int i = 0; i < depth; i++) { layers.Add(nn.Linear(prev, width)); layers.Add(nn.ReLU()); if (options.Dropout > 0) layers.Add(nn.Dropout(options.Dropout)); prev = width; }
        layers.Add(nn.Linear(prev, classes));
        return nn.Sequential(layers);
    }
    public static long ParameterCount(nn.Module<Tensor, Tensor> model) => model.parameters().Sum(p => p.numel());
}
