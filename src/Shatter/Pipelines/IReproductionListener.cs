using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Pipelines;

/// <summary>What a front end shows of <see cref="Reproduction"/>'s steps after the sweep (which it shows itself).</summary>
public interface IReproductionListener
{
    void Swept(string experiment, string scale, SweepOutcome outcome);
    /// <summary>A line of the measures job.</summary>
    void Log(string line);
    void Rademacher(RademacherResult result);
    void Shattering(ShatteringResult result);
}
