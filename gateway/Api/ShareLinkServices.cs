using Analytics.Gateway.Access;
using Analytics.Gateway.Sites;

namespace Analytics.Gateway.Api;

/// <summary>What the handlers that create share links (ours and Plausible's v1) need, bound with [AsParameters].</summary>
public readonly record struct ShareLinkServices(ISiteDirectory Sites, IGrainFactory Grains, ShareLinkSlugs Slugs, TimeProvider Time);
