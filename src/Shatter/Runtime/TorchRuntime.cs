using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Runtime;

/// <summary>
/// The one place that sets up libtorch for a process: thread count and device. Every timing that
/// Shatter records carries the thread count and device chosen here.
/// </summary>
public static partial class TorchRuntime
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

    /// <summary>
    /// Sets libtorch's intra-op thread count; 0 keeps libtorch's default. Returns the count in force. A negative count is
    /// a caller's bug: the user's sentence for it is the training option's range (TrainConfig.Threads), checked by
    /// TrainConfig.Validate and by every command's options before anything runs, so it is written once (issue 19).
    /// </summary>
    public static int SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        KeepFreedTensorMemory();
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

    /// <summary>glibc's largest mmap threshold (32 MiB on 64-bit): blocks up to this size come from the heap.</summary>
    const int MmapThreshold = 32 << 20;
    /// <summary>Free memory at the heap's top kept for reuse instead of being given back to the kernel.</summary>
    const int TrimThreshold = 1 << 30;
    static int allocatorTuned;

    /// <summary>
    /// libtorch allocates every CPU tensor with malloc. By default glibc serves blocks over 128 KiB–32 MiB with mmap and
    /// gives freed heap tops back to the kernel, so each training step's activations (megabytes per layer) are mapped,
    /// page-faulted in zeroed, and unmapped again: on the 2-core AMD EPYC a fifth of a conv run's time was the kernel's
    /// page faults (perf, README `shatter bench train`). Raising both thresholds once per process keeps that memory in the
    /// heap for the next batch (measured: Inception 137 → 165 samples/s). Linux/glibc only; elsewhere nothing changes.
    /// </summary>
    static void KeepFreedTensorMemory()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref allocatorTuned, 1) == 1) return;
        try
        {
            Mallopt(MallocTrimThreshold, TrimThreshold);
            Mallopt(MallocMmapThreshold, MmapThreshold);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc (or no mallopt): the C library's defaults stay
        }
    }

    const int MallocTrimThreshold = -1, MallocMmapThreshold = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD (malloc.h)

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
