using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

public static class ValidatedOptions
{
    /// <summary>The one way a section is bound: <typeparamref name="TOptions"/> from <paramref name="section"/>, checked
    /// against its data annotations when the host starts, so a wrong value stops start-up with a message naming the key.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section) where TOptions : class
        => services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
