using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Shatter.Results;

namespace Shatter.Tests.Results;

/// <summary>
/// A throwaway PostgreSQL server for the tests (Debian's postgresql package: initdb + pg_ctl in a temporary folder,
/// on a free port, trust authentication for user 'shatter'), started once for the "postgres" collection and stopped
/// in <see cref="Dispose"/>. PostgreSQL refuses to run as root: as root, the commands run as the package's
/// 'postgres' user (runuser), as in /work/shared/reference/postgresql.md. Absent PostgreSQL is a failure with one
/// sentence, not a skip.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-pg-" + Guid.NewGuid().ToString("N"));
    readonly string bin;
    public int Port { get; }

    public PostgresServer()
    {
        bin = FindBin();
        Directory.CreateDirectory(dir);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0x1FF); // 0777: the postgres user writes its data folder and socket here
        Port = FreePort();
        Pg("initdb", "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "shatter", "-E", "UTF8", "--locale=C", "--no-sync");
        Start();
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>: an outage that ends).</summary>
    public void Start() =>
        Pg("pg_ctl", "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200");

    /// <summary>
    /// Stops the server, dropping every connection (an outage). Fast, not immediate: the server runs with
    /// synchronous_commit off, and an immediate stop would lose its last commits.
    /// </summary>
    public void Stop() => Pg("pg_ctl", "-D", Path.Combine(dir, "data"), "-m", "fast", "-w", "stop");

    /// <summary>A new, empty database on the server: postgresql://shatter@127.0.0.1:PORT/NAME.</summary>
    public DatabaseAddress NewDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        using (var c = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=shatter;Database=postgres;Pooling=false"))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            cmd.ExecuteNonQuery();
        }
        return DatabaseAddress.Parse(Url(name));
    }

    public string Url(string database) => $"postgresql://shatter@127.0.0.1:{Port}/{database}";

    static string FindBin()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run scripts/setup.sh, which installs Debian's postgresql package, and rerun the tests.");
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    void Pg(string tool, params string[] args)
    {
        bool root = Environment.UserName == "root";
        var info = new ProcessStartInfo(root ? "runuser" : Path.Combine(bin, tool))
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
        };
        if (root)
            foreach (var a in new[] { "-u", "postgres", "--", Path.Combine(bin, tool) }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) p.Kill(entireProcessTree: true);
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed with exit code {p.ExitCode}: {error.Result.Trim()} {output.Result.Trim()}");
    }

    public void Dispose()
    {
        try
        {
            Pg("pg_ctl", "-D", Path.Combine(dir, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Scratch.Delete(dir);
        }
    }
}

/// <summary>The tests that use the throwaway server: one server for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
