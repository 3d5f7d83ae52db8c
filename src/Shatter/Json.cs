using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shatter;

/// <summary>
/// The one JSON style of Shatter's outputs: snake_case names, indented, enums as strings, and NaN or infinite
/// numbers (a diverged run's losses) written as null — JSON has no non-finite numbers — and read back as NaN.
/// </summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // keep →, × and class names readable; the output is a file or a terminal, never HTML
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new FiniteOrNull() },
    };

    sealed class FiniteOrNull : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
