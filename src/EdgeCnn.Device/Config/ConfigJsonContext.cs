using System.Text.Json.Serialization;

namespace EdgeCnn.Device.Config;

/// <summary>
/// Source-generated (de)serialization of the config: camelCase names, comments and trailing commas allowed (configs are
/// written by hand), unknown fields refused so a misspelt field is an error rather than silently ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(EdgeConfig))]
public sealed partial class ConfigJsonContext : JsonSerializerContext;
