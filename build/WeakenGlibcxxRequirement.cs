#nullable enable
// MSBuild task (compiled by RoslynCodeTaskFactory from this file): makes TorchSharp's native shim load
// on distributions whose libstdc++ predates GCC 13 (Debian 12: GLIBCXX up to 3.4.30).
//
// libLibTorchSharp.so 0.107.0 requires GLIBCXX_3.4.32 for exactly one symbol,
// _ZSt21ios_base_library_initv, which GCC 13's <iostream> only references to force linking; nothing
// calls it. We mark that one version requirement weak (VER_FLG_WEAK in its Vernaux entry of
// .gnu.version_r); glibc's loader then treats its absence as non-fatal. See
// shared/reference/torchsharp.md. The patch is applied only when the system's libstdc++ lacks the
// version, and is idempotent (setting a flag that is already set changes nothing).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxRequirement : Task
{
    const string Version = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>Folders searched (recursively) for libLibTorchSharp.so.</summary>
    [Required] public string[] Folders { get; set; } = Array.Empty<string>();

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
        var libstdcxx = FindSystemLibStdCxx();
        if (libstdcxx is null || Contains(File.ReadAllBytes(libstdcxx), Encoding.ASCII.GetBytes(Version + "\0")))
            return true; // a newer libstdc++ (or none to judge by): no fix, as torchsharp.md requires
        foreach (var folder in Folders)
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var lib in Directory.EnumerateFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                var changed = Patch(lib);
                if (changed) Log.LogMessage(MessageImportance.High, $"shatter: marked {Version} weak in {lib} (system libstdc++ lacks it)");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static string? FindSystemLibStdCxx()
    {
        foreach (var dir in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib" })
        {
            var p = Path.Combine(dir, "libstdc++.so.6");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        // (compiled for netstandard2.0 by the task factory: no spans)
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && haystack[i + k] == needle[k]) k++;
            if (k == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on the GLIBCXX_3.4.32 Vernaux entry; returns whether the file changed.</summary>
    bool Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogWarning($"{path} is not a 64-bit little-endian ELF file; left as it is.");
            return false;
        }
        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A), shnum = BitConverter.ToUInt16(elf, 0x3C);
        bool changed = false;
        for (int s = 0; s < shnum; s++)
        {
            long sh = (long)shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40), count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (ulong)(link * shentsize)) + 24);
            long vn = offset;
            for (int i = 0; i < count; i++)
            {
                int cnt = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int j = 0; j < cnt; j++)
                {
                    string name = ReadString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    if (name == Version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)aux + 4);
                        changed = true;
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(elf, (int)vn + 12);
            }
        }
        if (changed)
        {
            // Write beside and rename, so an interrupted build never leaves a half-written library.
            var tmp = path + ".shatter-tmp";
            File.WriteAllBytes(tmp, elf);
            File.Replace(tmp, path, null);
        }
        return changed;
    }

    static string ReadString(byte[] b, long at)
    {
        int end = (int)at;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
