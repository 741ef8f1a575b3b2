# Build: docker build -t meta-conversations-gateway .
# Run:   docker run -p 8080:8080 -e Meta__GraphApiBaseUrl=https://graph.facebook.com -e Meta__GraphApiVersion=v25.0 \
#          -e Meta__Pages__<pageId>__AccessToken=... -e Gateway__Auth__ApiKeys__crm__Key=... \
#          -e Gateway__Auth__ApiKeys__crm__Pages__0=<pageId> meta-conversations-gateway
#        (server-side Page tokens in Production need callers to authenticate: see README, "Pointing the gateway ...")
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The same publish command CI exercises; it also fetches the Banana Cake Pop assets from npm.
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# DOTNET_GCgen0size as in src/Gateway/Properties/launchSettings.json (why: src/Gateway/Gateway.csproj).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_GCgen0size=0x2000000
EXPOSE 8080
# The image's non-root user (uid 1654). Orchestrators probe GET /health/live and /health/ready.
USER $APP_UID
ENTRYPOINT ["dotnet", "Gateway.dll"]
