namespace Analytics.Silo.Hosting;

/// <summary>Names this assembly's entry point to WebApplicationFactory (Program is generated in every web project).</summary>
public sealed class SiloEntryPoint;
