using System.Text.Json;
using Shatter.Models;
using Shatter.Tests.Data;

namespace Shatter.Tests.Models;

/// <summary>
/// TorchScript models and a NumPy dataset for them, written by Debian's python3-torch into a folder of their own (one per
/// test class that takes this fixture), for the tests that train, resume, export and measure a <c>torchscript:PATH</c>
/// model through Shatter's trainer and CLI:
/// <list type="bullet">
/// <item><c>cnn.pt</c>: conv 3×3 (1 → 4), batch norm, ReLU, linear to 3 classes, for grey 8×8 images;</item>
/// <item><c>other.pt</c>: the same network with other initial weights (a changed file);</item>
/// <item><c>five.pt</c>: the same for 5 classes (a wrong output for the 3-class set);</item>
/// <item><c>rgb.pt</c>: the same for RGB input (a wrong input for the grey set);</item>
/// <item><c>data.npz</c>: 96 training and 24 test uint8 8×8 grey images of random pixels, labels i mod 3.</item>
/// </list>
/// </summary>
public sealed class ScriptedNets : IDisposable
{
    public const int Train = 96, Test = 24, Classes = 3;

    readonly TempFolder folder = new();

    public ScriptedNets()
    {
        Python.Require("torch", "python3-torch");
        Sha256 = JsonDocument.Parse(Python.Run(folder.Path, Generator)).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    const string Generator = """
        import hashlib, json, numpy as np, torch
        from torch import nn
        import torch.nn.functional as F
        torch.set_num_threads(1)
        torch.manual_seed(0)

        class Cnn(nn.Module):                                   # (B, channels, 8, 8) -> (B, classes)
            def __init__(self, channels: int = 1, classes: int = 3):
                super().__init__()
                self.conv = nn.Conv2d(channels, 4, 3, padding=1)
                self.bn = nn.BatchNorm2d(4)
                self.fc = nn.Linear(4 * 8 * 8, classes)
            def forward(self, x):
                return self.fc(torch.flatten(F.relu(self.bn(self.conv(x))), 1))

        files = {"cnn.pt": Cnn(), "other.pt": Cnn(), "five.pt": Cnn(classes=5), "rgb.pt": Cnn(channels=3)}
        for name, model in files.items():
            torch.jit.script(model).save(name)
        rng = np.random.default_rng(0)
        np.savez("data.npz",
                 x_train=rng.integers(0, 256, (96, 8, 8), dtype=np.uint8), y_train=np.arange(96) % 3,
                 x_test=rng.integers(0, 256, (24, 8, 8), dtype=np.uint8), y_test=np.arange(24) % 3)
        print(json.dumps({name: hashlib.sha256(open(name, "rb").read()).hexdigest() for name in files}))
        """;

    /// <summary>Each model file's SHA-256, as Python's hashlib computes it.</summary>
    public IReadOnlyDictionary<string, string> Sha256 { get; }

    /// <summary>A path in the fixture's folder.</summary>
    public string this[string name] => folder[name];

    public string Folder => folder.Path;

    /// <summary>The <c>torchscript:PATH</c> name of a model file.</summary>
    public string Model(string file) => TorchScriptModel.Prefix + folder[file];

    /// <summary>The <c>npz:PATH</c> name of the dataset.</summary>
    public string Dataset => "npz:" + folder["data.npz"];

    public void Dispose() => folder.Dispose();
}
