import Foundation
import InterlinkHTTP
import InterlinkTestSupport
import InterlinkWeb
import Testing

/// The security rules of `rescale-int ui`, over real HTTP against the real server on 127.0.0.1.
@Suite(.tags(.integration))
struct WebSecurityTests {
    @Test func listensOnLoopbackWithAnOSChosenPortAndATokenURL() async throws {
        try await WebHarness.with { web in
            #expect(web.base.hasPrefix("http://127.0.0.1:"))
            #expect(web.port > 0)
            #expect(web.login.hasPrefix(web.base + "/?token="))
            #expect(web.login.count > web.base.count + 40)
        }
    }

    @Test func requestsWithoutTheCookieGet401() async throws {
        try await WebHarness.with { web in
            #expect(try await web.call(.GET, "/").status == 401)
            #expect(try await web.call(.GET, "/api/runs").status == 401)
            #expect(try await web.call(.GET, "/static/app.js").status == 401)
            #expect(try await web.call(.GET, "/?token=0123").status == 401)
            let forged = try await web.call(
                .GET,
                "/api/runs",
                headers: [("Cookie", "interlink-session-\(web.port)=abc")]
            )
            #expect(forged.status == 401)
            #expect(forged.body.contains("no session"))
        }
    }

    @Test func theTokenBuysAStrictHttpOnlyCookieOnceThenRedirectsWithoutIt() async throws {
        try await WebHarness.with { web in
            let exchange = try await web.call(.GET, web.login)
            #expect(exchange.status == 303)
            #expect(exchange.headers["Location"] == ["/"])
            let setCookie = try #require(exchange.headers["Set-Cookie"].first)
            #expect(setCookie.hasPrefix("interlink-session-\(web.port)="))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains(web.login.split(separator: "=").last.map(String.init) ?? "-"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let page = try await web.call(.GET, "/", headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            #expect(page.body.contains("role=\"tablist\""))
            #expect(try await web.call(.GET, web.login).status == 401)
        }
    }

    @Test func aForeignHostGets421EvenWithTheCookie() async throws {
        try await WebHarness.with { web in
            let cookie = try await web.cookie()
            let rebound = try await web.call(
                .GET,
                "/api/runs",
                headers: [("Cookie", cookie), ("Host", "evil.example:\(web.port)")]
            )
            #expect(rebound.status == 421)
            let otherPort = try await web.call(
                .GET,
                "/api/runs",
                headers: [("Cookie", cookie), ("Host", "127.0.0.1:1")]
            )
            #expect(otherPort.status == 421)
            let local = try await web.call(
                .GET,
                "/api/runs",
                headers: [("Cookie", cookie), ("Host", "localhost:\(web.port)")]
            )
            #expect(local.status == 200)
        }
    }

    @Test func stateChangingRequestsNeedTheCookieAndASameOriginOrigin() async throws {
        try await WebHarness.with { web in
            let cookie = try await web.cookie()
            let body = #"{"workflow": "missing.yaml"}"#
            let noOrigin = try await web.call(.POST, "/api/runs", headers: [("Cookie", cookie)], body: body)
            #expect(noOrigin.status == 403)
            let foreign = try await web.call(
                .POST,
                "/api/runs",
                headers: [("Cookie", cookie), ("Origin", "http://evil.example")],
                body: body
            )
            #expect(foreign.status == 403)
            let noCookie = try await web.call(.POST, "/api/runs", headers: [("Origin", web.base)], body: body)
            #expect(noCookie.status == 403)
            let deleted = try await web.call(.DELETE, "/api/runs", headers: [("Cookie", cookie)])
            #expect(deleted.status == 403)
            let allowed = try await web.call(
                .POST,
                "/api/runs",
                headers: [("Cookie", cookie), ("Origin", web.base)],
                body: body
            )
            #expect(allowed.status == 404)
            #expect(allowed.body.contains("no workflow 'missing.yaml'"))
        }
    }

    @Test func servesBundledFilesWithAStrictPolicyAndMissingOnesAs404() async throws {
        try await WebHarness.with { web in
            let cookie = try await web.cookie()
            let script = try await web.call(.GET, "/static/app.js", headers: [("Cookie", cookie)])
            #expect(script.status == 200)
            #expect(script.body.contains("window.IL"))
            #expect(script.headers["Content-Type"].first?.hasPrefix("text/javascript") == true)
            #expect(script.headers["Content-Security-Policy"].first?.contains("default-src 'self'") == true)
            #expect(try await web.call(.GET, "/static/no-such.js", headers: [("Cookie", cookie)]).status == 404)
            #expect(try await web.call(.GET, "/static/..%2FPackage.swift", headers: [("Cookie", cookie)]).status == 404)
        }
    }

    @Test func publishedEventsReachAnEventStreamWithinASecond() async throws {
        try await WebHarness.with { web in
            let cookie = try await web.cookie()
            web.services.publish(WebEvent(source: "ui", text: "kept before the page connected"))
            var request = HTTPClientRequest(url: web.base + "/api/events")
            request.headers.add(name: "Cookie", value: cookie)
            let response = try await web.client.execute(request, timeout: .seconds(10))
            #expect(response.headers["Content-Type"].first?.hasPrefix("text/event-stream") == true)
            let sent = ContinuousClock.now
            web.services.publish(WebEvent(source: "ui", run: "r1", job: "Run_1", text: "hello from the test"))
            var text = ""
            for try await chunk in response.body {
                text += String(buffer: chunk)
                if text.contains("hello from the test") { break }
            }
            #expect(text.contains("\"job\":\"Run_1\""))
            #expect(!text.contains("kept before the page connected"))
            #expect(ContinuousClock.now - sent < .seconds(1))
        }
    }
}
