using Spectre.Console.Cli;

namespace Shatter.Cli.Infrastructure;

/// <summary>
/// Minimal constructor-injecting registrar, so commands receive the console (and tests can give them a
/// recording one). Resolves a service to its last registration, IEnumerable&lt;T&gt; to all of T's, and
/// an unregistered concrete type by constructing it.
/// </summary>
internal sealed class TypeRegistrar : ITypeRegistrar
{
    readonly Dictionary<Type, List<Func<object>>> _factories = new();

    public void Register(Type service, Type implementation) => Add(service, () => Create(implementation));
    public void RegisterInstance(Type service, object implementation) => Add(service, () => implementation);
    public void RegisterLazy(Type service, Func<object> factory) => Add(service, factory);
    public ITypeResolver Build() => new Resolver(this);

    void Add(Type service, Func<object> factory)
    {
        if (!_factories.TryGetValue(service, out var list)) _factories[service] = list = [];
        list.Add(factory);
    }

    object Create(Type type)
    {
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return ctor.Invoke(ctor.GetParameters().Select(p => Resolve(p.ParameterType)).ToArray());
    }

    object? Resolve(Type? type)
    {
        if (type is null) return null;
        if (_factories.TryGetValue(type, out var f)) return f[^1]();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        {
            var item = type.GetGenericArguments()[0];
            var all = _factories.TryGetValue(item, out var list) ? list.Select(x => x()).ToArray() : [];
            var array = Array.CreateInstance(item, all.Length);
            Array.Copy(all, array, all.Length);
            return array;
        }
        return type.IsAbstract || type.IsInterface ? null : Create(type);
    }

    sealed class Resolver(TypeRegistrar registrar) : ITypeResolver
    {
        public object? Resolve(Type? type) => registrar.Resolve(type);
    }
}
