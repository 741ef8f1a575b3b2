using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

public static class ValidatedOptions
{
    /// <summary>The one way a section is bound: <typeparamref name="TOptions"/> from <paramref name="section"/>, checked
    /// against its data annotations when the host starts, so a wrong value stops start-up with a message naming the key
    /// (<c>Gateway:Limits:MaxDepth: The field MaxDepth must be between 1 and 1000.</c>).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section) where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidation<TOptions>(section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidation<TOptions>(string section) : IValidateOptions<TOptions> where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }
            return ValidateOptionsResult.Fail(results.Select(result =>
                $"{section}:{string.Join(", ", result.MemberNames)}: {result.ErrorMessage}"));
        }
    }
}
