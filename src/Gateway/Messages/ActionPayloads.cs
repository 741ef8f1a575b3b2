using Gateway.Api;
using Gateway.DataLoading;
using Gateway.Sending;
using GraphQL;
using GraphQL.Types;

namespace Gateway.Messages;

/// <summary>A sender action's answer: what it acted on (a conversation or a message, of the Page it acted as), or why it was
/// not done.</summary>
public sealed record ActionPayload(string PageId, string Id, IReadOnlyList<SendError>? Errors);

/// <summary>A sender action's payload: the <typeparamref name="TObjectType"/> it acted on, read as it is now, and the errors of
/// <typeparamref name="TErrorUnion"/>.</summary>
public abstract class ActionPayloadType<TObjectType, TErrorUnion> : ObjectGraphType<ActionPayload>
    where TObjectType : IGraphType
    where TErrorUnion : ErrorUnionGraphType
{
    protected ActionPayloadType(string name, string description, string field,
        Func<IResolveFieldContext<ActionPayload>, GraphLoaders, object?> read)
    {
        Name = name;
        Description = description;
        Field<TObjectType>(field).Description($"The {field} as it is now, read from the Graph API; null when there are `errors`.")
            .Resolve(context => context.Source.Errors is not null
                ? null
                : read(context, context.RequestServices!.GetRequiredService<RequestLoaders>().ForPage(context.Source.PageId)));
        Field<ListGraphType<NonNullGraphType<TErrorUnion>>>("errors").Description("Why it was not done; null when it was.").Resolve(context => context.Source.Errors);
    }
}
