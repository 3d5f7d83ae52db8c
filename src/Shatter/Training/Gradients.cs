using TorchSharp.Modules;

namespace Shatter.Training;

/// <summary>What Shatter's optimizers (<see cref="Sgd"/>, <see cref="Adam"/>) share.</summary>
static class Gradients
{
    /// <summary>Zeroes every gradient in place (kept allocated, as torch.optim's set_to_none=False); each handle is disposed at once.</summary>
    public static void Zero(IEnumerable<Parameter> parameters)
    {
        foreach (var p in parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }
}
