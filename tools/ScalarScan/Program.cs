using System.Reflection;
using TorchSharp;

// Lists the TorchSharp methods that make a Scalar on the fly and hand it to libtorch without keeping it alive
// (docs/torchsharp.md): first those whose IL calls Scalar.op_Implicit or a ToScalar() and never disposes a
// Scalar nor calls GC.KeepAlive, then every public method that reaches one of them through direct calls.
// Run: dotnet run --project tools/ScalarScan -c Release > scan.txt, and compare with src/BannedSymbols.txt.
var assembly = typeof(Scalar).Assembly;
var scalar = typeof(Scalar);
const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
Type[] types;
try { types = assembly.GetTypes(); }
catch (ReflectionTypeLoadException e) { types = [.. e.Types.OfType<Type>()]; }

var callers = new Dictionary<MethodBase, List<MethodBase>>();
var flawed = new HashSet<MethodBase>();
foreach (var type in types)
    foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { continue; }
        if (il is null || type == scalar) continue;
        bool converts = false, keeps = false;
        // call (0x28) / callvirt (0x6F) followed by a method token; a token that does not resolve is not a call
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0x28 && il[i] != 0x6F) continue;
            int token = BitConverter.ToInt32(il, i + 1);
            if (token >> 24 is not (0x0A or 0x06 or 0x2B)) continue;
            MethodBase? callee;
            try { callee = type.Module.ResolveMethod(token, type.IsGenericType ? type.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null); }
            catch (Exception) { continue; }
            if (callee is null) continue;
            if (callee is MethodInfo { IsGenericMethod: true, IsGenericMethodDefinition: false } g) callee = g.GetGenericMethodDefinition();
            if (!callers.TryGetValue(callee, out var list)) callers[callee] = list = [];
            list.Add(method);
            if ((callee.DeclaringType == scalar && callee.Name == "op_Implicit") || (callee.Name == "ToScalar" && callee is MethodInfo m && m.ReturnType == scalar)) converts = true;
            if ((callee.DeclaringType == scalar && callee.Name == "Dispose") || (callee.DeclaringType == typeof(GC) && callee.Name == "KeepAlive")) keeps = true;
        }
        if (converts && !keeps) flawed.Add(method);
    }

static string Name(MethodBase m) => $"{m.DeclaringType?.FullName}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})";

Console.WriteLine($"# {flawed.Count} methods make a Scalar on the fly and do not keep it alive");
foreach (var line in flawed.Select(Name).Order(StringComparer.Ordinal)) Console.WriteLine(line);

var reached = new HashSet<MethodBase>(flawed);
var queue = new Queue<MethodBase>(flawed);
while (queue.TryDequeue(out var next))
    if (callers.TryGetValue(next, out var list))
        foreach (var caller in list)
            if (reached.Add(caller)) queue.Enqueue(caller);
var publicOnes = reached.Where(m => m.IsPublic && m.DeclaringType is { } t && (t.IsPublic || t.IsNestedPublic)).Select(Name).Distinct().Order(StringComparer.Ordinal).ToList();
Console.WriteLine($"# {publicOnes.Count} public methods reach one of them");
foreach (var line in publicOnes) Console.WriteLine(line);
