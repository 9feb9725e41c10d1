namespace EdgeCnn.Device.Config;

/// <summary>A config error: the JSON path of the field, what is wrong, and what the field allows.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string origin, string jsonPath, string problem, string allowed)
        : base($"{origin}: {jsonPath}: {problem}; allowed: {allowed}")
    {
        JsonPath = jsonPath;
        Allowed = allowed;
    }

    public ConfigException()
        : this("config", "$", "invalid", "a config object")
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        JsonPath = "$";
        Allowed = string.Empty;
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        JsonPath = "$";
        Allowed = string.Empty;
    }

    /// <summary>e.g. "$.rules[0].gpio.line".</summary>
    public string JsonPath { get; }

    public string Allowed { get; }
}
