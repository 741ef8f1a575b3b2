using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Gateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Callers;

public static class CallerAuthentication
{
    public const string PagesClaim = "pages";

    /// <summary>OAuth's <c>scope</c> claim (space-separated); <c>send:&lt;pageId&gt;</c> is the permission to send as that Page.</summary>
    public const string ScopeClaim = "scope";
    private const string SendScopePrefix = "send:";
    private const string Scheme = "Caller";
    private const string ApiKeyScheme = "ApiKey";
    /// <summary>The header an API key comes in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    public static IHostApplicationBuilder AddCallerAuthentication(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(CallerAuthenticationOptions.Section);
        builder.Services.AddScoped<CallerCredentials>();
        builder.Services.AddScoped<AccessTokens>();
        var options = section.Get<CallerAuthenticationOptions>() ?? new CallerAuthenticationOptions();
        options.Required = section.GetValue<bool?>(nameof(CallerAuthenticationOptions.Required)) ?? RequiredByDefault(builder.Configuration, builder.Environment);
        builder.Services.AddValidatedOptions<CallerAuthenticationOptions>(CallerAuthenticationOptions.Section)
            .PostConfigure(configured => configured.Required = options.Required);
        if (!options.Required)
        {
            return builder;
        }
        if (options.ApiKeys.Values.All(caller => caller.Key.Length == 0) && options.Jwt.Authority is null && options.Jwt.SigningKey is null)
        {
            throw new InvalidSettingsException(
                "Callers must authenticate (Gateway:Auth:Required, on by default in Production with server-side Page tokens), but no " +
                "Gateway:Auth:ApiKeys:<name>:Key, Gateway:Auth:Jwt:Authority or Gateway:Auth:Jwt:SigningKey is configured. Configure one, " +
                "or set Gateway:Auth:Required=false to let anyone who reaches the port read the configured Pages.");
        }
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or JWT", policy => policy.ForwardDefaultSelector =
                context => context.Request.Headers.ContainsKey(ApiKeyHeader) ? ApiKeyScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null)
            .AddJwtBearer(jwt =>
            {
                jwt.Authority = options.Jwt.Authority;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Jwt.Issuer,
                    ValidateIssuer = options.Jwt.Issuer is not null,
                    ValidAudience = options.Jwt.Audience,
                    ValidateAudience = options.Jwt.Audience is not null,
                    IssuerSigningKey = options.Jwt.SigningKey is { } key ? new SymmetricSecurityKey(Convert.FromBase64String(key)) : null,
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>Production with Page tokens configured on the server (the embedded emulator's demo Pages do not count).</summary>
    public static bool RequiredByDefault(IConfiguration configuration, IHostEnvironment environment)
        => environment.IsProduction()
           && !DemoMode.IsOn(configuration, environment)
           && configuration.GetSection("Meta:Pages").GetChildren().Any(page => !string.IsNullOrEmpty(page["AccessToken"]));

    public static IReadOnlySet<string> AllowedPages(this ClaimsPrincipal caller)
        => caller.FindAll(PagesClaim).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The Pages the caller may send as: its <c>send:&lt;pageId&gt;</c> scopes (an API key's <c>SendPages</c> become those).</summary>
    public static IReadOnlySet<string> SendPages(this ClaimsPrincipal caller)
        => caller.FindAll(ScopeClaim).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(scope => scope.StartsWith(SendScopePrefix, StringComparison.Ordinal) && scope.Length > SendScopePrefix.Length)
            .Select(scope => scope[SendScopePrefix.Length..]).ToHashSet(StringComparer.Ordinal);

    private sealed class ApiKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
        IOptions<CallerAuthenticationOptions> callers)
        : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var presented = Encoding.UTF8.GetBytes(Request.Headers[ApiKeyHeader].ToString());
            foreach (var (name, caller) in callers.Value.ApiKeys)
            {
                if (caller.Key.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(caller.Key)))
                {
                    var claims = caller.Pages.Select(page => new Claim(PagesClaim, page))
                        .Concat(caller.SendPages.Select(page => new Claim(ScopeClaim, SendScopePrefix + page)))
                        .Append(new Claim("sub", name));
                    var identity = new ClaimsIdentity(claims, ApiKeyScheme);
                    return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyScheme)));
                }
            }
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }
    }
}
