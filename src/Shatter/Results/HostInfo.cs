using System.Runtime.InteropServices;
using System.Text.Json;

namespace Shatter.Results;

/// <summary>The machine a run ran on, for the report's header: host, OS, CPU model, logical cores, .NET.</summary>
public static class HostInfo
{
    static readonly Lazy<string> Cached = new(() => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["host"] = Environment.MachineName,
        ["os"] = RuntimeInformation.OSDescription,
        ["cpu"] = CpuModel(),
        ["logical_cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
    }));

    public static string Json() => Cached.Value;

    static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
