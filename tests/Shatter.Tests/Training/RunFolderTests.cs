using System.Diagnostics;
using Shatter.Tests.Cli;
using Shatter.Tests.Data;
using Shatter.Training;

namespace Shatter.Tests.Training;

/// <summary>
/// A run folder the disk will not take — a file in its place, a read-only or a full file system — is one sentence
/// naming the path and the fix, exit code 2, never an internal failure (70), and leaves nothing half-written.
/// Read-only and full file systems are real small tmpfs mounts where the tests may mount (root); elsewhere a folder
/// without write permission (or, for root without the right to mount, who ignores permissions, a folder in /proc)
/// and /dev/full, which answers every write with ENOSPC.
/// </summary>
[Collection(SerialTorchRandom.Name)]
public sealed class RunFolderTests
{
    static readonly string[] Tiny = ["--train-size", "100", "--test-size", "100", "--model", "mlp-1x16", "--epochs", "3", "--batch-size", "25", "--threads", "1", "--quiet"];

    static CliRunner.Result Train(string outDir, params string[] more) => CliRunner.Run(["train", .. Tiny, .. more, "--out", outDir]);

    /// <summary>A tmpfs of <paramref name="kilobytes"/> mounted on <paramref name="path"/>, or null where mounting is not allowed.</summary>
    sealed class Tmpfs : IDisposable
    {
        readonly string path;
        Tmpfs(string path) => this.path = path;

        public static Tmpfs? TryMount(string path, int kilobytes, bool readOnly)
        {
            if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return null; // only root may mount
            Directory.CreateDirectory(path);
            return Command("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k{(readOnly ? ",ro" : "")}", "tmpfs", path) ? new Tmpfs(path) : null;
        }

        public void Dispose() => Command("umount", path);

        static bool Command(string file, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            try
            {
                using var p = Process.Start(psi)!;
                p.WaitForExit();
                return p.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false; // no mount command
            }
        }
    }

    [Fact]
    public void An_out_path_that_is_a_file_is_one_sentence_and_the_file_is_left_alone()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        File.WriteAllText(folder["taken"], "mine");
        var r = Train(folder["taken"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{folder["taken"]} is a file, not a folder", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Equal("mine", File.ReadAllText(folder["taken"]));
    }

    [Fact]
    public void A_read_only_out_folder_is_one_sentence_naming_it_and_nothing_is_written()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var dir = folder["ro"];
        using var mount = Tmpfs.TryMount(dir, 1024, readOnly: true);
        bool root = Environment.UserName == "root";
        if (mount is null && !root && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        // root without the right to mount ignores permissions: a folder inside /proc, which takes no new entries, stands in
        if (mount is null && root) dir = $"/proc/self/shatter-{Guid.NewGuid():N}";
        try
        {
            var r = Train(dir);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"cannot write {dir}", r.Error);
            Assert.Contains("choose an --out folder you can write to", r.Error);
            Assert.Single(r.Error.Trim().Split('\n'));
            Assert.True(!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any());
        }
        finally
        {
            if (mount is null && !root && !OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_full_disk_while_writing_the_run_folder_is_one_sentence_and_leaves_no_half_written_checkpoint()
    {
        RealData.RequireFashionMnist();
        using var folder = new TempFolder();
        var dir = folder["full"];
        // mlp-1x16 on 28×28 is 12,730 parameters (51 KB a weights file): 256 KB hold run.json, the CSVs, the initial weights
        // and about one checkpoint (weights and momentum), so the disk fills while the run writes its checkpoints
        using var mount = Tmpfs.TryMount(dir, 256, readOnly: false);
        if (mount is not null)
        {
            var r = Train(Path.Combine(dir, "run"), "--epochs", "40");
            Assert.Equal(2, r.ExitCode);
            Assert.Matches($"^error: cannot write {System.Text.RegularExpressions.Regex.Escape(Path.Combine(dir, "run"))}.*No space left on device", r.Error.Trim());
            Assert.Single(r.Error.Trim().Split('\n'));
            // nothing half-written: no temporary file, and only the checkpoint that checkpoint.json names (complete, verified)
            var run = new RunFolder(Path.Combine(dir, "run"));
            Assert.Empty(Directory.GetFiles(run.Path, "*.tmp"));
            var checkpoints = Directory.GetDirectories(run.Path, "checkpoint-*");
            Assert.True(checkpoints.Length <= 1, string.Join(", ", checkpoints));
            if (checkpoints.Length == 1) Assert.Contains(Path.GetFileName(checkpoints[0]), File.ReadAllText(run.CheckpointPointer));
            Assert.False(File.Exists(run.SummaryJson));
            return;
        }
        // no tmpfs here: the writers' mapping of ENOSPC, from /dev/full
        var plain = new RunFolder(folder["plain"]);
        Directory.CreateDirectory(plain.Path);
        plain.StartCsvs();
        File.Delete(plain.EpochsCsv);
        File.CreateSymbolicLink(plain.EpochsCsv, "/dev/full");
        var e = Assert.Throws<ShatterException>(() => plain.AppendEpoch(new EpochMetrics(1, 1, 0.1, 1, 0.5, 1, 0.5, 1)));
        Assert.StartsWith($"cannot write {plain.EpochsCsv} (No space left on device", e.Message);
    }
}
