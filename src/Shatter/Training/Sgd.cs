using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// Stochastic gradient descent with momentum and weight decay, PyTorch's torch.optim.SGD (dampening 0,
/// no Nesterov), for every parameter p with gradient g:
/// <code>
///   d = g + wd·p                (weight decay, when wd ≠ 0)
///   b = μ·b + d                 (momentum, when μ ≠ 0; the first step sets b = d, as PyTorch does)
///   p = p − lr·b                (or p − lr·d without momentum)
/// </code>
/// Why not TorchSharp's SGD: its step converts μ, 1 and −lr to Scalars implicitly on every call, and a
/// garbage collection can free such a temporary while libtorch reads it ("Unknown scalar type",
/// docs/torchsharp.md). Here every Scalar is held in a field or a using variable for the whole call. The
/// operations and their order are TorchSharp's, so the result is the same bit for bit (a test checks it).
/// The learning rate may change between steps (the trainer's schedule sets it before each one).
/// </summary>
public sealed class Sgd : IDisposable
{
    const string Format = "shatter-sgd-1";
    readonly Parameter[] parameters;
    readonly Tensor?[] buffers;                 // momentum buffers, null until a parameter's first step
    readonly Scalar momentum, weightDecay, one;
    readonly bool useMomentum, useWeightDecay;

    public double LearningRate { get; set; }
    public double Momentum { get; }
    public double WeightDecay { get; }

    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double weightDecay = 0)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be 0 or positive");
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be 0 or positive");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be 0 or positive");
        this.parameters = parameters.ToArray();
        buffers = new Tensor?[this.parameters.Length];
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        useMomentum = momentum != 0;
        useWeightDecay = weightDecay != 0;
        this.momentum = momentum.ToScalar();
        this.weightDecay = weightDecay.ToScalar();
        one = 1.0.ToScalar();                   // 1 − dampening, a double as in TorchSharp
    }

    /// <summary>Sets every gradient to zero (as TorchSharp's optimizers do; PyTorch's default would drop them).</summary>
    public void ZeroGrad() => Gradients.Zero(parameters);

    /// <summary>
    /// Drops every gradient (PyTorch's zero_grad(set_to_none=True)): the next backward writes the gradients
    /// instead of adding them to zeros — the same values bit for bit (0 + g = g), without a memset and an add
    /// over every parameter per step (about 5% of an MLP 1x512 step on the CPU). A parameter that then gets no
    /// gradient is skipped by <see cref="Step"/>, where a zeroed one would still move by momentum and weight
    /// decay; the trainer's models use every parameter in every step, so there it changes nothing.
    /// </summary>
    public void ClearGrad()
    {
        foreach (var p in parameters)
        {
            using var grad = p.grad;
            if (grad is not null) p.grad = null;
        }
    }

    /// <summary>One update of every parameter that has a gradient, at <see cref="LearningRate"/>.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var step = (-LearningRate).ToScalar();
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var grad = p.grad;
            if (grad is null) continue;
            if (useWeightDecay) grad = grad.add(p, weightDecay);                 // d = g + wd·p
            if (useMomentum)
            {
                var buf = buffers[i];
                if (buf is null)
                    buffers[i] = buf = grad.clone().detach().DetachFromDisposeScope(); // b = d
                else
                    buf.mul_(momentum).add_(grad, one);                          // b = μ·b + d
                grad = buf;
            }
            p.add_(grad, step);                                                  // p = p − lr·b
        }
    }

    /// <summary>The momentum buffers (null where a parameter has not stepped yet), for checkpoints and tests.</summary>
    public IReadOnlyList<Tensor?> MomentumBuffers => buffers;

    /// <summary>Writes the momentum buffers (the only state besides the hyperparameters, which the run's configuration holds).</summary>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Format);
        writer.Write(buffers.Length);
        foreach (var buf in buffers)
        {
            writer.Write(buf is not null);
            buf?.Save(writer);
        }
    }

    /// <summary>Reads the momentum buffers written by <see cref="Save"/>, onto each parameter's device.</summary>
    public void Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var format = reader.ReadString();
        if (format == "SGD")
        {
            reader.Dispose();
            LoadTorchSharpState(path);
            return;
        }
        if (format != Format) throw new InvalidOperationException($"{path} is not a Shatter SGD state ({format})");
        int count = reader.ReadInt32();
        if (count != buffers.Length) throw new InvalidOperationException($"{path} holds {count} momentum buffers, the model has {buffers.Length} parameters");
        for (int i = 0; i < count; i++)
        {
            buffers[i]?.Dispose();
            buffers[i] = null;
            if (!reader.ReadBoolean()) continue;
            var p = parameters[i];
            var buf = zeros(p.shape, p.dtype, p.device).DetachFromDisposeScope();
            buf.Load(reader);                                                    // checks dtype and shape
            buffers[i] = buf;
        }
    }

    /// <summary>
    /// A checkpoint written before Shatter had its own SGD holds TorchSharp's SGD state: TorchSharp reads it
    /// (loading makes no Scalar, only stepping does, so the ban does not apply here) and its buffers, one per
    /// parameter in order, are copied. An interrupted run from then resumes exactly.
    /// </summary>
    void LoadTorchSharpState(string path)
    {
#pragma warning disable RS0030 // TorchSharp's SGD: banned for stepping; used here only to read its file
        using var legacy = optim.SGD(parameters, LearningRate, Momentum, weight_decay: WeightDecay);
        legacy.load_state_dict(path);
        var states = legacy.state_dict().State;
        if (states.Count != buffers.Length) throw new InvalidOperationException($"{path} holds {states.Count} momentum buffers, the model has {buffers.Length} parameters");
        for (int i = 0; i < buffers.Length; i++)
        {
            buffers[i]?.Dispose();
            var buf = ((TorchSharp.Modules.SGD.State)states[i]).momentum_buffer;
#pragma warning restore RS0030
            buffers[i] = buf?.detach().clone().DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var buf in buffers) buf?.Dispose();
        Array.Clear(buffers);
        momentum.Dispose();
        weightDecay.Dispose();
        one.Dispose();
    }
}
