using Npgsql;

namespace Shatter.Results;

/// <summary>
/// Where a results database is, from <c>--db</c> or <c>$SHATTER_DB</c>: a SQLite file (any path) or a PostgreSQL
/// server, <c>postgresql://user@host:port/database</c> (also <c>postgres://</c>; port 5432, user $PGUSER or the
/// login name when left out). The password never goes in the URL: Npgsql takes it from <c>PGPASSWORD</c> or the
/// password file (<c>PGPASSFILE</c>, else <c>~/.pgpass</c>), so it is never printed nor written to a job script.
/// </summary>
public sealed record DatabaseAddress
{
    /// <summary>The default SQLite file when neither --db nor $SHATTER_DB says otherwise.</summary>
    public static string DefaultFile => System.IO.Path.Combine("results", "shatter.db");

    /// <summary>The SQLite file (a full path); null for PostgreSQL.</summary>
    public string? File { get; private init; }

    /// <summary>The PostgreSQL URL as given (it holds no password); null for SQLite.</summary>
    public string? Url { get; private init; }

    public bool IsPostgres => Url is not null;

    /// <summary>What may be printed and passed on to workers: the full file path or the URL.</summary>
    public string Display => Url ?? File!;

    /// <summary>--db if given, else $SHATTER_DB, else results/shatter.db.</summary>
    public static DatabaseAddress Resolve(string? db)
    {
        var text = string.IsNullOrWhiteSpace(db) ? Environment.GetEnvironmentVariable("SHATTER_DB") : db;
        return Parse(string.IsNullOrWhiteSpace(text) ? DefaultFile : text.Trim());
    }

    public static DatabaseAddress Parse(string text)
    {
        int sep = text.IndexOf("://", StringComparison.Ordinal);
        if (sep < 0) return new DatabaseAddress { File = System.IO.Path.GetFullPath(text) };
        var scheme = text[..sep].ToLowerInvariant();
        if (scheme is not ("postgresql" or "postgres"))
            throw new ShatterException($"--db '{Redact(text)}' has the unknown scheme '{scheme}'; give a SQLite file path or postgresql://user@host:port/database.");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ShatterException($"--db '{Redact(text)}' is not a valid PostgreSQL URL; write it as postgresql://user@host:port/database.");
        if (uri.UserInfo.Contains(':'))
            throw new ShatterException("--db holds a password; leave it out of the URL and put it in PGPASSWORD or ~/.pgpass (so it is never printed or written to a job script).");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/'))
            throw new ShatterException($"--db '{Redact(text)}' names no database; write it as postgresql://user@host:port/database.");
        if (uri.Query.Length > 1)
            throw new ShatterException($"--db '{Redact(text)}' has options after '?', which shatter does not read (a password among them is never printed); set them in the server or the PG* environment variables, the password in PGPASSWORD or ~/.pgpass.");
        return new DatabaseAddress { Url = text };
    }

    /// <summary>The Npgsql connection string: no password (Npgsql reads PGPASSWORD or the password file), a 10 s connect timeout.</summary>
    public string ConnectionString()
    {
        var uri = new Uri(Url ?? throw new InvalidOperationException("not a PostgreSQL address"));
        var user = Uri.UnescapeDataString(uri.UserInfo);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
            Username = user.Length > 0 ? user : Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName,
            Timeout = 10,
            CommandTimeout = 120,
            ApplicationName = "shatter",
            Pooling = false,
        };
        return builder.ConnectionString;
    }

    /// <summary>
    /// A URL as an error message may show it: anything after "user:" up to '@' and everything after '?' (options such as
    /// password=…) replaced by ***, so no password given in any part of the URL is ever printed back.
    /// </summary>
    internal static string Redact(string text)
    {
        int query = text.IndexOf('?');
        if (query >= 0) text = text[..(query + 1)] + "***";
        int at = text.LastIndexOf('@');
        int sep = text.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || sep < 0) return text;
        int colon = text.IndexOf(':', sep + 3);
        return colon >= 0 && colon < at ? text[..(colon + 1)] + "***" + text[at..] : text;
    }
}
