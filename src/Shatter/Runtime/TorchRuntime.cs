using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Runtime;

/// <summary>
/// The one place that sets up libtorch for a process: thread count and device. Every timing that
/// Shatter records carries the thread count and device chosen here.
/// </summary>
public static class TorchRuntime
{
    /// <summary>"cpu", "cuda" or "auto" (CUDA when present, else CPU).</summary>
    public static Device ResolveDevice(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!CudaAvailable())
                    throw new ShatterException("--device cuda was asked for but no CUDA device is available to TorchSharp; run with --device cpu, or on a machine with an NVIDIA GPU and libtorch's CUDA libraries (see docs/gpu.md).");
                return CUDA;
            case "auto":
                return CudaAvailable() ? CUDA : CPU;
            default:
                throw new ShatterException($"unknown device '{name}'; use cpu, cuda or auto.");
        }
    }

    static bool CudaAvailable()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            return torch.cuda.is_available();
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Sets libtorch's intra-op thread count; 0 keeps libtorch's default. Returns the count in force.</summary>
    public static int SetThreads(int threads)
    {
        if (threads < 0) throw new ShatterException($"--threads must be 0 (libtorch's default) or positive, not {threads}.");
        if (threads > 0) torch.set_num_threads(threads);
        return torch.get_num_threads();
    }

    /// <summary>Version strings recorded next to every result.</summary>
    public static IReadOnlyDictionary<string, string> Versions() => new SortedDictionary<string, string>
    {
        ["shatter"] = typeof(TorchRuntime).Assembly.GetName().Version?.ToString() ?? "0",
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "?",
        ["libtorch"] = "2.10.0",
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };
}
