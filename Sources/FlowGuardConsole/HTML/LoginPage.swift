/// `/login`: where a browser presents an API key once to get a session cookie.
enum LoginPage {
    static func html(next: String, failed: Bool, context: PageContext) -> String {
        var body = failed ? "<p class=\"error\" role=\"alert\">That key is not accepted.</p>" : ""
        body += """
            <p>This console requires an API key (the same keys as the gateway's).</p>
            <form method="post" action="/login" class="stacked" id="login">
            <input type="hidden" name="next" value="\(HTML.text(next))">
            <label>API key <input type="password" name="key" autocomplete="off"></label>
            <button>Sign in</button>
            </form>
            """
        return Layout.page(title: "Sign in", section: nil, context: context, body: body)
    }
}
