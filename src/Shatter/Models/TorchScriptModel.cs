using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// <c>torchscript:PATH</c>: a model written in PyTorch and saved by <c>torch.jit.script(model).save(PATH)</c> (or
/// <c>torch.jit.trace</c>), loaded through TorchSharp's TorchScript support (libtorch's own loader) and used like a zoo
/// model: its parameters train under Shatter's optimizers, train()/eval() reach its submodules (a traced model keeps the
/// mode it was traced in), and its state_dict — the PyTorch model's own keys, buffers included — is what checkpoints and
/// weight files hold, so <c>model.load_state_dict(torch.load(...))</c> takes Shatter's weights back. The file's
/// SHA-256 (<see cref="Sha256"/>) identifies it, so a changed file can be a new run. <see cref="CheckShapes"/> runs it
/// once on two examples of the dataset's shape; after that every forward checks its input against that shape and its
/// output against (batch, classes), each mismatch one sentence.
/// </summary>
public sealed class TorchScriptModel : Module<Tensor, Tensor>
{
    public const string Prefix = "torchscript:";

    private readonly jit.ScriptModule<Tensor, Tensor> net;
    private long[]? exampleShape;
    private ScalarType inputType;
    private int classes;

    private TorchScriptModel(string path, string sha256, jit.ScriptModule<Tensor, Tensor> net) : base(nameof(TorchScriptModel))
    {
        Path = path;
        Sha256 = sha256;
        this.net = net;
        RegisterComponents();
    }

    /// <summary>The file the model was loaded from.</summary>
    public string Path { get; }
    /// <summary>SHA-256 of the file's bytes (lower-case hex): the model's identity.</summary>
    public string Sha256 { get; }

    /// <summary>Is <paramref name="name"/> a <c>torchscript:PATH</c> model?</summary>
    public static bool IsTorchScript(string name) => name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The file of a <c>torchscript:PATH</c> name.</summary>
    public static string PathOf(string name) => name[Prefix.Length..];

    /// <summary>Loads the file (onto the CPU); every failure is one sentence naming the file.</summary>
    public static TorchScriptModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"the TorchScript model {path} cannot be read ({Clause(e.Message)}); save it with torch.jit.script(model).save(\"{System.IO.Path.GetFileName(path)}\") and check the path.", e);
        }
        jit.ScriptModule<Tensor, Tensor> net;
        try
        {
            net = jit.load<Tensor, Tensor>(bytes);
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            throw new ShatterException($"{path} is not a TorchScript model libtorch can load ({Reason(e)}); save it with torch.jit.script(model).save(PATH) or torch.jit.trace(model, example).save(PATH).", e);
        }
        var model = new TorchScriptModel(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), net);
        var other = model.parameters().Select(p => p.dtype).FirstOrDefault(t => t != ScalarType.Float32, ScalarType.Float32);
        if (other != ScalarType.Float32)
        {
            model.Dispose();
            throw new ShatterException($"the TorchScript model {path} has {other} parameters; Shatter trains float32 models: save it after model.float().");
        }
        return model;
    }

    /// <summary>SHA-256 (lower-case hex) of the file of a <c>torchscript:PATH</c> model; one sentence when it cannot be read.</summary>
    public static string FileSha256(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"the TorchScript model {path} cannot be read ({Clause(e.Message)}); save it with torch.jit.script(model).save(\"{System.IO.Path.GetFileName(path)}\") and check the path.", e);
        }
    }

    /// <summary>
    /// Throws one sentence when the file is not the one a run was planned or trained with (<paramref name="expected"/>,
    /// null: any): a changed model is a new run, never the old run's model.
    /// </summary>
    public void CheckSha256(string? expected)
    {
        if (expected is not null && !expected.Equals(Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ShatterException($"the TorchScript model {Path} has changed since the run was planned (its SHA-256 is now {Sha256[..12]}…, the run's {expected[..Math.Min(12, expected.Length)]}…); a changed model is a new run: restore the file, or train the new one into another folder (a sweep plans it again).");
    }

    /// <summary>
    /// Runs the model once, in eval mode and without gradients (so no running statistic moves), on two zero examples of
    /// <paramref name="example"/> shape and <paramref name="dtype"/> (images: float32 (C, H, W); text: int64 (T)), and
    /// checks that it returns (2, <paramref name="classes"/>); from then on every forward checks the same.
    /// </summary>
    public void CheckShapes(long[] example, ScalarType dtype, int classes)
    {
        exampleShape = null;
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var probe = zeros([2, .. example], dtype);
            Tensor output;
            try
            {
                output = net.call(probe);
            }
            catch (Exception e) when (e is ExternalException or InvalidOperationException)
            {
                throw new ShatterException($"the TorchScript model {Path} fails on a batch of the dataset's inputs, {dtype} {Shape(probe.shape)} ({Reason(e)}); its forward must take (batch, {string.Join(", ", example)}) inputs, the dataset's.", e);
            }
            using (output) CheckOutput(output, 2, classes);
        }
        finally
        {
            train(wasTraining);
        }
        exampleShape = example;
        inputType = dtype;
        this.classes = classes;
    }

    public override Tensor forward(Tensor input)
    {
        if (exampleShape is not null && (!input.shape.Skip(1).SequenceEqual(exampleShape) || input.dtype != inputType))
            throw new ShatterException($"the TorchScript model {Path} was checked for {inputType} (batch, {string.Join(", ", exampleShape)}) inputs but is given {input.dtype} {Shape(input.shape)}; give it the dataset it was checked for.");
        var output = net.call(input);
        if (exampleShape is not null) CheckOutput(output, input.shape[0], classes);
        return output;
    }

    private void CheckOutput(Tensor output, long batch, int expectedClasses)
    {
        if (output.dim() != 2 || output.shape[0] != batch || output.shape[1] != expectedClasses)
            throw new ShatterException($"the TorchScript model {Path} returns {Shape(output.shape)} for a batch of {batch}, not ({batch}, {expectedClasses}); its forward must return one logit per class of the dataset's {expectedClasses}.");
        if (!output.is_floating_point())
            throw new ShatterException($"the TorchScript model {Path} returns {output.dtype} values; its forward must return float logits.");
    }

    // The PyTorch model's own names, not "net.*": a state_dict that torch.load and load_state_dict take as they are.
    public override IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true) =>
        recurse ? net.named_parameters(true) : [];

    public override IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true, bool include_nonpersistent = true) =>
        recurse ? net.named_buffers(true, include_nonpersistent) : [];

    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null) =>
        net.state_dict(destination, prefix);

    /// <summary>
    /// No submodules to walk: the scripted graph's modules are opaque ScriptModules (measures that need layers say so),
    /// and TorchSharp's Dispose, walking them after disposing the script, would touch a freed handle.
    /// </summary>
    public override IEnumerable<(string name, Module module)> named_modules() => [];

    protected override void Dispose(bool disposing)
    {
        if (disposing) net.Dispose();
        base.Dispose(disposing);
    }

    private static string Shape(long[] shape) => $"({string.Join(", ", shape)})";

    /// <summary>libtorch's reason, one clause: its "...Error: ..." line from the interpreter's traceback, else its first line.</summary>
    private static string Reason(Exception e)
    {
        var lines = e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var line = lines.LastOrDefault(l => l.Contains("Error: ", StringComparison.Ordinal)) ?? lines.FirstOrDefault() ?? e.GetType().Name;
        return Clause(line);
    }

    private static string Clause(string message)
    {
        var m = message.Trim().TrimEnd('.');
        return m.Length > 300 ? m[..300] + "…" : m;
    }
}
