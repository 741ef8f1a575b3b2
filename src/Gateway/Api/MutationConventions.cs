using GraphQL.Types;

namespace Gateway.Api;

/// <summary>HotChocolate's mutation conventions: every typed error of a payload's <c>errors</c> implements <c>Error { message }</c>.</summary>
public sealed class ErrorInterfaceType : InterfaceGraphType
{
    public ErrorInterfaceType()
    {
        Name = "Error";
        Description = "Why a mutation did not do what it was asked; each kind is a type of its own, listed in its payload's `errors`.";
        Field<NonNullGraphType<StringGraphType>>("message").Description("What happened, for people.");
    }
}

/// <summary>A typed error: an object implementing <c>Error</c>, made from <typeparamref name="TError"/>.</summary>
public abstract class ErrorGraphType<TError> : ObjectGraphType<TError>
{
    protected ErrorGraphType(string name, string description, Func<TError, string> message)
    {
        Name = name;
        Description = description;
        Interface<ErrorInterfaceType>();
        Field<NonNullGraphType<StringGraphType>>("message").Description("What happened, for people.").Resolve(context => message(context.Source));
    }
}

/// <summary>A payload's <c>errors</c> element type: the union of the typed errors its mutation can answer, named
/// <c>&lt;Mutation&gt;Error</c> as HotChocolate names it.</summary>
public abstract class ErrorUnionGraphType : UnionGraphType
{
    protected ErrorUnionGraphType(string name, params Type[] errorTypes)
    {
        Name = name;
        var mutation = char.ToLowerInvariant(name[0]) + name[1..^"Error".Length];
        Description = $"What `{mutation}` answers when it did not do what it was asked; each implements `Error`.";
        foreach (var errorType in errorTypes)
        {
            Type(errorType);
        }
    }
}
