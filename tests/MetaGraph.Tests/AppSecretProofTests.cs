namespace MetaGraph.Tests;

public sealed class AppSecretProofTests
{
    // Expected values computed independently: HMAC-SHA256(key "app-secret", data), lowercase hex.
    [Fact]
    public void Signs_the_access_token_with_the_app_secret()
        => Assert.Equal("2041874cf677f28474003d490c1294b18ddd048bffddbb9ccb7a200a19faf6f4",
            AppSecretProof.Compute("app-secret", "EAAB-page-token"));

    [Fact]
    public void The_time_based_form_signs_token_pipe_unix_time()
        => Assert.Equal("e052a3b5f5d22d2404cab356bba707118bc05ba8517fac9ead22c43aa045ada5",
            AppSecretProof.Compute("app-secret", "EAAB-page-token", 1700000000));
}
