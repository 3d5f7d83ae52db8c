using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// A run's initial (epoch 0, before any step) and final weights, as PyTorch <c>state_dict</c> files that
/// <c>torch.load</c> opens (written by TorchSharp.PyBridge: PyTorch's zip + pickle format). Keys are the
/// model's own (e.g. <c>hidden.0.weight</c>, <c>output.bias</c>), buffers such as batch-norm running
/// statistics included, tensors on the CPU.
/// </summary>
public static class RunWeights
{
    public const string InitialFile = "weights-initial.pt";
    public const string FinalFile = "weights-final.pt";

    /// <summary>Writes the model's state_dict to <paramref name="path"/> atomically and durably (a synced temporary file, a rename, the folder synced).</summary>
    public static void Save(nn.Module model, string path) => AtomicFile.WriteFile(path, temp => model.save_py(temp));

    /// <summary>Loads a state_dict written by <see cref="Save"/> (or by <c>torch.save(model.state_dict())</c>) into <paramref name="model"/>.</summary>
    public static void Load(nn.Module model, string path)
    {
        if (!File.Exists(path))
            throw new ShatterException($"no weights file {path}; the run was trained by a shatter without saved weights, or is not finished: train it again.");
        System.Collections.Hashtable loaded;
        try
        {
            using var stream = File.OpenRead(path);
            loaded = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ShatterException($"the weights file {path} is damaged or not a PyTorch state_dict ({e.Message.TrimEnd('.')}); train the run again.", e);
        }
        // every key of the model, with its shape, then copied in place (PyBridge's load_py would swap in a tensor of another shape)
        var state = model.state_dict();
        foreach (var (key, target) in state)
            if (loaded[key] is not Tensor source || !source.shape.SequenceEqual(target.shape))
                throw new ShatterException($"the weights file {path} belongs to another model ({key} is {(loaded[key] is Tensor t ? $"[{string.Join(", ", t.shape)}]" : "missing")}, the model expects [{string.Join(", ", target.shape)}]); give the weights of this run's model.");
        if (loaded.Count != state.Count)
            throw new ShatterException($"the weights file {path} belongs to another model ({loaded.Count} tensors, the model has {state.Count}); give the weights of this run's model.");
        using var noGrad = no_grad();
        foreach (var (key, target) in state)
        {
            using var source = (Tensor)loaded[key]!;
            target.copy_(source);
        }
    }
}
