using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// One step of a task: its mean loss (a scalar tensor with its graph, for backward) and the training samples it
/// consumed (what the learning-rate schedule counts: images of a batch, transitions of a rollout).
/// </summary>
public readonly record struct TrainStep(Tensor Loss, long Samples);
