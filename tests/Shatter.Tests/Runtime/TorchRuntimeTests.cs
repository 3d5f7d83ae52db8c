using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Native_backend_loads_and_computes_a_matmul_and_its_gradient()
    {
        // d/dA sum(A·B) = 1·Bᵀ: each row of the gradient is the row sums of B.
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]).requires_grad_(true);
        using var b = tensor(new float[] { 1, 0, 2, 1, 0, 3 }, [3, 2]);
        using var product = a.matmul(b);
        Assert.Equal(new float[] { 5, 11, 14, 23 }, product.data<float>().ToArray());
        using var total = product.sum();
        total.backward();
        Assert.Equal(new float[] { 1, 3, 3, 1, 3, 3 }, a.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Cuda_is_the_device_where_a_gpu_is_present_and_one_clear_error_where_none_is()
    {
        // both kinds of machine assert: a GPU machine gets its device and computes on it, a CPU one the one-sentence refusal
        if (TorchSharp.torch.cuda.is_available())
        {
            var device = Shatter.Runtime.TorchRuntime.ResolveDevice("cuda");
            Assert.Equal(DeviceType.CUDA, device.type);
            using var x = ones(3, device: device);
            using var sum = x.sum();
            Assert.Equal(3f, sum.cpu().item<float>());
            Assert.Equal(DeviceType.CUDA, Shatter.Runtime.TorchRuntime.ResolveDevice("auto").type);
        }
        else
        {
            var e = Assert.Throws<ShatterException>(() => Shatter.Runtime.TorchRuntime.ResolveDevice("cuda"));
            Assert.Contains("--device cpu", e.Message);
            Assert.Equal(DeviceType.CPU, Shatter.Runtime.TorchRuntime.ResolveDevice("auto").type);
        }
        Assert.Equal(DeviceType.CPU, Shatter.Runtime.TorchRuntime.ResolveDevice("CPU").type);
        Assert.Contains("use cpu, cuda or auto", Assert.Throws<ShatterException>(() => Shatter.Runtime.TorchRuntime.ResolveDevice("tpu")).Message);
    }
}
