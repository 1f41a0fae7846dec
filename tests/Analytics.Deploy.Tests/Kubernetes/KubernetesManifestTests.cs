using System.ComponentModel.DataAnnotations;
using Analytics.Abstractions.Caching;
using Analytics.Abstractions.Hosting;
using Analytics.Cassandra.Storage;
using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Ingestion;
using Analytics.Kafka.Producer;
using Analytics.Kafka.Streams;
using Analytics.Silo.Hosting;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Deploy.Tests.Kubernetes;

/// <summary>
/// Kubernetes cannot run here, so deploy/k8s is checked against the code instead: every Analytics__* variable binds to a
/// real options property (unknown keys and unconvertible values fail), ports agree, probes hit endpoints the app maps,
/// and the objects reference each other consistently.
/// </summary>
public sealed class KubernetesManifestTests
{
    /// <summary>The configuration sections each process binds, and to which options class.</summary>
    private static readonly Dictionary<string, Dictionary<string, Type?>> Sections = new()
    {
        ["analytics-silo"] = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Profile"] = null,
            ["Cluster"] = typeof(ClusterProfileOptions),
            ["Kafka"] = typeof(KafkaStreamOptions),
            ["Cassandra"] = typeof(CassandraGrainStorageOptions),
        },
        ["analytics-gateway"] = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Profile"] = null,
            ["Cluster"] = typeof(ClusterProfileOptions),
            ["Kafka"] = typeof(KafkaProducerOptions),
            ["Ingestion"] = typeof(IngestionOptions),
            ["Cache"] = typeof(HotCacheOptions),
            ["Auth"] = typeof(Analytics.Gateway.Access.AccessOptions),
        },
    };

    private readonly Manifests _manifests = Manifests.Load();

    [Theory]
    [InlineData("analytics-silo")]
    [InlineData("analytics-gateway")]
    public void Every_Analytics_variable_binds_to_a_real_options_property(string deployment)
    {
        var environment = Environment(deployment);
        var analytics = environment.Where(e => e.Key.StartsWith("Analytics__", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(analytics);
        Assert.Equal(Profiles.Cluster, environment[("Analytics__" + "Profile")]);

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(analytics.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        var sections = Sections[deployment];
        foreach (var section in configuration.GetSection("Analytics").GetChildren())
        {
            Assert.True(sections.ContainsKey(section.Key), $"{deployment}: Analytics:{section.Key} is not a section this process binds ({string.Join(", ", sections.Keys)}).");
            if (sections[section.Key] is not { } type)
            {
                continue;
            }

            // Throws on a key without a property and on a value that does not convert.
            var bound = section.Get(type, o => o.ErrorOnUnknownConfiguration = true)!;
            var errors = new List<ValidationResult>();
            Assert.True(Validator.TryValidateObject(bound, new ValidationContext(bound), errors, validateAllProperties: true),
                $"{deployment}: Analytics:{section.Key}: {string.Join("; ", errors.Select(e => e.ErrorMessage))}");
        }
    }

    [Fact]
    public void Configured_cassandra_contact_points_replace_the_default_instead_of_joining_it()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Analytics:Cassandra:Client:ContactPoints:0", (string?)"cassandra:9042")]).Build();
        var options = new CassandraGrainStorageOptions();
        ClusterSiloExtensions.BindCassandra(configuration.GetSection(ClusterSiloExtensions.CassandraSection), options, options.Client);
        Assert.Equal(["cassandra:9042"], options.Client.ContactPoints);
    }

    [Fact]
    public void A_key_that_is_not_a_property_is_caught()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Analytics:Kafka:BootstrapServer", (string?)"x:9092")]).Build();
        Assert.Throws<InvalidOperationException>(() => configuration.GetSection("Analytics:Kafka").Get(typeof(KafkaProducerOptions), o => o.ErrorOnUnknownConfiguration = true));
    }

    [Fact]
    public void Silo_ports_pod_labels_and_kubernetes_hosting_agree_with_the_configuration()
    {
        var environment = Environment("analytics-silo");
        var ports = ContainerPorts("analytics-silo");
        Assert.Equal(ports["silo"], int.Parse(environment["Analytics__Cluster__SiloPort"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ports["gateway"], int.Parse(environment["Analytics__Cluster__GatewayPort"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ports["http"], new Uri(environment["Urls"]).Port);
        Assert.Equal("true", environment["Analytics__Cluster__Kubernetes"]);

        var labels = PodTemplate("analytics-silo")["metadata"]["labels"];
        Assert.Equal(environment["Analytics__Cluster__ServiceId"], labels["orleans/serviceId"].Text);
        Assert.Equal(environment["Analytics__Cluster__ClusterId"], labels["orleans/clusterId"].Text);
        var container = Container("analytics-silo");
        foreach (var variable in new[] { "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "POD_NAME", "POD_NAMESPACE", "POD_IP" })
        {
            Assert.Contains(container["env"].Items, e => e["name"].Text == variable);
        }

        var account = PodTemplate("analytics-silo")["spec"]["serviceAccountName"].Text;
        _manifests.Single("ServiceAccount", account);
        var binding = _manifests.OfKind("RoleBinding").Single(b => b["subjects"].Items.Any(s => s["name"].Text == account));
        var role = _manifests.Single("Role", binding["roleRef"]["name"].Text);
        Assert.Contains(role["rules"].Items, r => r["resources"].Items.Any(x => x.Text == "pods")
            && new[] { "get", "list", "watch", "delete" }.All(v => r["verbs"].Items.Any(x => x.Text == v)));

        var hpa = _manifests.Single("HorizontalPodAutoscaler", "analytics-silo");
        Assert.Equal("Deployment", hpa["spec"]["scaleTargetRef"]["kind"].Text);
        _manifests.Single("Deployment", hpa["spec"]["scaleTargetRef"]["name"].Text);
    }

    [Fact]
    public void The_gateway_service_reaches_the_gateway_pods_on_their_http_port()
    {
        var service = _manifests.Single("Service", "analytics-gateway");
        var labels = PodTemplate("analytics-gateway")["metadata"]["labels"];
        foreach (var (key, value) in service["spec"]["selector"].Entries)
        {
            Assert.Equal(value.Text, labels[key].Text);
        }

        var ports = ContainerPorts("analytics-gateway");
        foreach (var port in service["spec"]["ports"].Items)
        {
            var target = port["targetPort"].Text;
            Assert.True(ports.ContainsKey(target) || ports.ContainsValue(int.Parse(target, System.Globalization.CultureInfo.InvariantCulture)), $"{port.Path}: no container port {target}");
        }

        Assert.Equal(ports["http"], new Uri(Environment("analytics-gateway")["Urls"]).Port);
    }

    [Fact]
    public void The_dashboard_deployment_binds_its_options_and_its_service_reaches_it()
    {
        var environment = Environment("analytics-dashboard");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        Assert.Equal(["Auth", "Dashboard"], configuration.GetSection("Analytics").GetChildren().Select(c => c.Key).Order(StringComparer.Ordinal));
        var options = configuration.GetSection(DashboardHostOptions.Section).Get<DashboardHostOptions>(o => o.ErrorOnUnknownConfiguration = true)!;
        var errors = new List<ValidationResult>();
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true), string.Join("; ", errors.Select(e => e.ErrorMessage)));
        // The dashboard logs users in itself, so it needs the admin account.
        var access = configuration.GetSection(Analytics.Gateway.Access.AccessOptions.SectionName).Get<Analytics.Gateway.Access.AccessOptions>(o => o.ErrorOnUnknownConfiguration = true)!;
        Assert.True(access.Admin.IsConfigured);
        Assert.Empty(options.Validate(new ValidationContext(options)));
        Assert.Equal("analytics-gateway", options.GatewayUrl!.Host.Split('.')[0]);
        _manifests.Single("Service", "analytics-gateway");

        var ports = ContainerPorts("analytics-dashboard");
        Assert.Equal(ports["http"], new Uri(environment["Urls"]).Port);
        var service = _manifests.Single("Service", "analytics-dashboard");
        var labels = PodTemplate("analytics-dashboard")["metadata"]["labels"];
        foreach (var (key, value) in service["spec"]["selector"].Entries)
        {
            Assert.Equal(value.Text, labels[key].Text);
        }

        Assert.All(service["spec"]["ports"].Items, p => Assert.True(ports.ContainsKey(p["targetPort"].Text), $"{p.Path}: no container port"));
        var container = Container("analytics-dashboard");
        Assert.Equal("/alive", container["livenessProbe"]["httpGet"]["path"].Text);
        Assert.Equal("/health", container["readinessProbe"]["httpGet"]["path"].Text);
        Assert.Equal("http", container["livenessProbe"]["httpGet"]["port"].Text);
        Assert.Equal("http", container["readinessProbe"]["httpGet"]["port"].Text);
    }

    [Fact]
    public async Task Probes_use_the_endpoints_the_app_maps_on_its_http_port()
    {
        await using var app = new EmbeddedHost();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        using var http = app.CreateClient();

        foreach (var deployment in Sections.Keys)
        {
            var container = Container(deployment);
            var ports = ContainerPorts(deployment);
            Assert.Equal("/alive", container["livenessProbe"]["httpGet"]["path"].Text);
            Assert.Equal("/health", container["readinessProbe"]["httpGet"]["path"].Text);
            foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
            {
                var get = container[probe]["httpGet"];
                Assert.Contains(get["path"].Text, routes);
                Assert.Equal(ports["http"], ports.TryGetValue(get["port"].Text, out var named) ? named : int.Parse(get["port"].Text, System.Globalization.CultureInfo.InvariantCulture));
                Assert.True((await http.GetAsync(get["path"].Text)).IsSuccessStatusCode, $"{deployment} {probe} {get["path"].Text}");
            }

            Assert.True(container["resources"]["requests"]["cpu"].Exists && container["resources"]["requests"]["memory"].Exists, $"{deployment}: resource requests");
        }
    }

    private Node PodTemplate(string deployment) => _manifests.Single("Deployment", deployment)["spec"]["template"];

    private Node Container(string deployment) => PodTemplate(deployment)["spec"]["containers"].Items.Single();

    private Dictionary<string, int> ContainerPorts(string deployment) =>
        Container(deployment)["ports"].Items.ToDictionary(p => p["name"].Text, p => int.Parse(p["containerPort"].Text, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The container's environment: its ConfigMaps, then its own env (secret and fieldRef values by stand-ins).</summary>
    private Dictionary<string, string> Environment(string deployment)
    {
        var container = Container(deployment);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"].Items)
        {
            foreach (var (key, value) in _manifests.Single("ConfigMap", source["configMapRef"]["name"].Text)["data"].Entries)
            {
                environment[key] = value.Text;
            }
        }

        foreach (var variable in container["env"].Items)
        {
            // Secrets (key hashes) stand in as a SHA-256; fieldRef values as a pod address.
            environment[variable["name"].Text] = variable["value"].TextOrNull ?? (variable["valueFrom"]["secretKeyRef"].Exists ? new string('a', 64) : "10.1.2.3");
        }

        return environment;
    }

    private sealed class EmbeddedHost : WebApplicationFactory<SiloEntryPoint>
    {
        private readonly string _data = Directory.CreateTempSubdirectory("analytics-k8s-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Analytics:Sqlite:DataDirectory", _data);
            builder.UseSetting("Analytics:Orleans:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Analytics:Orleans:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
