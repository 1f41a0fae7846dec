namespace Analytics.Gateway.Ga4;

/// <summary>Google's ValidationCode values.</summary>
public static class MpValidationCodes
{
    /// <summary>The value provided for a fieldPath was invalid.</summary>
    public const string ValueInvalid = "VALUE_INVALID";
    /// <summary>A required value for a fieldPath was not provided.</summary>
    public const string ValueRequired = "VALUE_REQUIRED";
    /// <summary>The name provided was invalid.</summary>
    public const string NameInvalid = "NAME_INVALID";
    /// <summary>The name provided was one of the reserved names.</summary>
    public const string NameReserved = "NAME_RESERVED";
    /// <summary>The value provided was too large.</summary>
    public const string ValueOutOfBounds = "VALUE_OUT_OF_BOUNDS";
    /// <summary>There were too many parameters in the request.</summary>
    public const string ExceededMaxEntities = "EXCEEDED_MAX_ENTITIES";
    /// <summary>The same name was provided more than once in the request.</summary>
    public const string NameDuplicated = "NAME_DUPLICATED";
}
