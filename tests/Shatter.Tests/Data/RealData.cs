namespace Shatter.Tests.Data;

/// <summary>The real Fashion-MNIST as Debian's dataset-fashion-mnist installs it.</summary>
public static class RealData
{
    public const string FashionFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fails (never skips) when the real Fashion-MNIST is absent: CI installs it.</summary>
    public static void RequireFashionMnist()
    {
        if (!Directory.Exists(FashionFolder) || Directory.GetFiles(FashionFolder, "*idx*").Length < 4)
            Assert.Fail($"the real Fashion-MNIST is not installed in {FashionFolder}; install it with 'apt-get install dataset-fashion-mnist'.");
    }
}
