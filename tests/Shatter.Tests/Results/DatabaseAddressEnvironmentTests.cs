using Shatter.Results;

namespace Shatter.Tests.Results;

/// <summary>Sets SHATTER_DB: environment variables are process-wide, so it runs in the collection that runs alone.</summary>
[Collection(nameof(Shatter.Tests.Data.EnvironmentCollection))]
public sealed class DatabaseAddressEnvironmentTests
{
    [Fact]
    public void Without_db_the_address_comes_from_SHATTER_DB_then_the_default_file()
    {
        var before = Environment.GetEnvironmentVariable("SHATTER_DB");
        try
        {
            Environment.SetEnvironmentVariable("SHATTER_DB", null);
            Assert.Equal(Path.GetFullPath(DatabaseAddress.DefaultFile), DatabaseAddress.Resolve(null).Display);
            Environment.SetEnvironmentVariable("SHATTER_DB", "postgresql://u@h/d");
            Assert.Equal("postgresql://u@h/d", DatabaseAddress.Resolve(null).Display);
            Assert.Equal(Path.GetFullPath("given.db"), DatabaseAddress.Resolve("given.db").Display);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SHATTER_DB", before);
        }
    }
}
