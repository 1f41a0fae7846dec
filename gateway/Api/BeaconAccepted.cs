namespace Analytics.Gateway.Api;

/// <summary>
/// POST /api/event's 202 "ok" (text/plain): the bytes of <c>TypedResults.Text("ok", "text/plain", 202)</c> written from a
/// constant, since that result parses its content type and encodes its text again for every beacon.
/// </summary>
public sealed class BeaconAccepted : IResult
{
    public static readonly BeaconAccepted Instance = new();

    private const string ContentType = "text/plain";

    private static readonly ReadOnlyMemory<byte> Body = "ok"u8.ToArray();

    private BeaconAccepted()
    {
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        await response.BodyWriter.WriteAsync(Body);
    }
}
