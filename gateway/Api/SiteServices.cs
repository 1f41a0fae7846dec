using Analytics.Gateway.Access;
using Analytics.Gateway.Caching;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Sites;

namespace Analytics.Gateway.Api;

/// <summary>What the handlers that register, change or delete a site (ours and Plausible's v1) need, bound with [AsParameters].</summary>
public readonly record struct SiteServices(
    IGrainFactory Grains,
    ISiteDirectory Directory,
    Ga4Streams Streams,
    SiteDomainChange Domains,
    QueryResultCache Results,
    AccessTokenValidator Validator);
