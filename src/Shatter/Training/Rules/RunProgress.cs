namespace Shatter.Training.Rules;

/// <summary>Where a run stands for its rules: the epoch of its last row, its optimisation steps and the training samples they took.</summary>
readonly record struct RunProgress(int Epoch, long Step, long Samples);
