/**
 * Why the dashboard signed someone out: the reason travels from the session's end (a refused
 * refresh, a sign-out in another tab) through the redirect to the sign-in page, which explains
 * it; a sign-out from this tab and a fresh sign-in carry none.
 */
import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, endSession } from "@/lib/api";
import { I18nProvider } from "@/lib/i18n/i18n-provider";
import { markTabSession, parseSessionEndReason, signInPath, tabHadSession } from "@/lib/session-end";
import { renderWithProviders } from "@/test/render";
import type { User } from "../types";
import { AuthProvider, useAuth } from "./auth-provider";

const navigation = vi.hoisted(() => ({ replace: vi.fn(), search: "" }));
vi.mock("next/navigation", () => ({
  useRouter: () => ({ replace: navigation.replace, push: vi.fn() }),
  usePathname: () => "/orders",
  useSearchParams: () => new URLSearchParams(navigation.search),
}));

const { default: DashboardLayout } = await import("@/app/(dashboard)/layout");
const { default: SignInPage } = await import("@/app/sign-in/page");

// No `orders:read`: the layout opens no socket in these tests.
const user: User = {
  id: "u1",
  email: "dana@example.com",
  display_name: "Dana",
  roles: ["viewer"],
  permissions: [],
  active: true,
  created_at: "2026-11-26T08:00:00.000Z",
  updated_at: "2026-11-26T08:00:00.000Z",
};
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  navigation.replace.mockReset();
  navigation.search = "";
  fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
  vi.stubGlobal("fetch", fetchMock);
  api.tokens.set("access-1");
});

afterEach(() => {
  vi.unstubAllGlobals();
  api.tokens.set(null);
  window.sessionStorage.clear();
});

const refused = () =>
  new Response(JSON.stringify({ type: "/problems/unauthorized", title: "Unauthorized", status: 401 }), {
    status: 401,
    headers: { "content-type": "application/problem+json" },
  });

function Probe() {
  const auth = useAuth();
  return (
    <div>
      <p data-testid="status">{auth.status}</p>
      <p data-testid="reason">{auth.endReason ?? "none"}</p>
      <button onClick={() => auth.signedIn(user)}>signed in</button>
      <button onClick={() => void auth.signOut()}>sign out</button>
    </div>
  );
}

const lastRedirect = () => navigation.replace.mock.calls.at(-1)?.[0] as string | undefined;

describe("session end reasons", () => {
  it("parses only known reasons and builds the sign-in path", () => {
    expect(parseSessionEndReason("session-ended")).toBe("session-ended");
    expect(parseSessionEndReason("signed-out-elsewhere")).toBe("signed-out-elsewhere");
    for (const other of ["", "hacked", "__proto__", null, undefined]) expect(parseSessionEndReason(other)).toBeNull();
    expect(signInPath("/orders?status=PENDING", "session-ended")).toBe("/sign-in?next=%2Forders%3Fstatus%3DPENDING&reason=session-ended");
    expect(signInPath("/orders", null)).toBe("/sign-in?next=%2Forders");
  });

  it("a session the server ended is remembered with its reason, and forgotten at the next sign-in", async () => {
    renderWithProviders(
      <AuthProvider initialUser={user}>
        <Probe />
      </AuthProvider>,
    );
    act(() => endSession("session-ended"));
    expect(screen.getByTestId("status")).toHaveTextContent("anonymous");
    expect(screen.getByTestId("reason")).toHaveTextContent("session-ended");
    expect(api.tokens.get()).toBeNull();

    await userEvent.setup().click(screen.getByRole("button", { name: "signed in" }));
    expect(screen.getByTestId("status")).toHaveTextContent("authenticated");
    expect(screen.getByTestId("reason")).toHaveTextContent("none");
  });

  it("a sign-out from this tab has no reason, even if a refresh is refused while it runs or after", async () => {
    fetchMock.mockImplementation(async () => {
      // The socket's refresh, refused because the family is being revoked, lands meanwhile.
      endSession("session-ended");
      return new Response(null, { status: 204 });
    });
    renderWithProviders(
      <AuthProvider initialUser={user}>
        <Probe />
      </AuthProvider>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "sign out" }));
    await waitFor(() => expect(screen.getByTestId("status")).toHaveTextContent("anonymous"));
    expect(screen.getByTestId("reason")).toHaveTextContent("none");
    expect(String(fetchMock.mock.calls[0]?.[0])).toMatch(/\/auth\/logout$/);
    // A request that was still in flight finds the refresh refused after the sign-out: still ours.
    act(() => endSession("session-ended"));
    expect(screen.getByTestId("reason")).toHaveTextContent("none");
  });

  it("a page load whose refresh is refused says why when this tab was signed in before it", async () => {
    markTabSession(true);
    fetchMock.mockImplementation(async () => refused());
    renderWithProviders(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("status")).toHaveTextContent("anonymous"));
    expect(screen.getByTestId("reason")).toHaveTextContent("session-ended");
    expect(tabHadSession()).toBe(false);
  });

  it("a page load whose refresh is refused says nothing when this tab was not signed in, or signed out itself", async () => {
    fetchMock.mockImplementation(async () => refused());
    const first = renderWithProviders(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("status")).toHaveTextContent("anonymous"));
    expect(screen.getByTestId("reason")).toHaveTextContent("none");

    // Signed in, then signed out from this tab's button: the next load is a plain sign-in page.
    const u = userEvent.setup();
    await u.click(screen.getByRole("button", { name: "signed in" }));
    expect(tabHadSession()).toBe(true);
    fetchMock.mockImplementation(async (input: RequestInfo | URL) => (String(input).endsWith("/auth/logout") ? new Response(null, { status: 204 }) : refused()));
    await u.click(screen.getByRole("button", { name: "sign out" }));
    await waitFor(() => expect(screen.getByTestId("status")).toHaveTextContent("anonymous"));
    first.unmount();
    renderWithProviders(
      <AuthProvider>
        <Probe />
      </AuthProvider>,
    );
    await waitFor(() => expect(screen.getByTestId("status")).toHaveTextContent("anonymous"));
    expect(screen.getByTestId("reason")).toHaveTextContent("none");
  });

  it("the dashboard sends a person whose session the server ended to the sign-in page with the reason", async () => {
    renderWithProviders(
      <AuthProvider initialUser={user}>
        <DashboardLayout>
          <p>board</p>
        </DashboardLayout>
      </AuthProvider>,
    );
    expect(screen.getByText("board")).toBeInTheDocument();
    act(() => endSession("session-ended"));
    await waitFor(() => expect(lastRedirect()).toBe("/sign-in?next=%2Forders&reason=session-ended"));
  });

  it("the dashboard's own sign-out button leads to the sign-in page without a reason", async () => {
    renderWithProviders(
      <AuthProvider initialUser={user}>
        <DashboardLayout>
          <p>board</p>
        </DashboardLayout>
      </AuthProvider>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(lastRedirect()).toBe("/sign-in?next=%2Forders"));
  });

  it("a sign-out in another tab is said as such", async () => {
    renderWithProviders(
      <AuthProvider initialUser={user}>
        <DashboardLayout>
          <p>board</p>
        </DashboardLayout>
      </AuthProvider>,
    );
    const otherTab = new BroadcastChannel("lom-session");
    otherTab.postMessage({ kind: "signed-out" });
    otherTab.close();
    await waitFor(() => expect(lastRedirect()).toBe("/sign-in?next=%2Forders&reason=signed-out-elsewhere"));
  });
});

describe("sign-in page", () => {
  const renderSignIn = (locale: "en" | "th" = "en") =>
    renderWithProviders(
      <I18nProvider initialLocale={locale}>
        <AuthProvider initialUser={null}>
          <SignInPage />
        </AuthProvider>
      </I18nProvider>,
    );

  it("explains a session the server ended, calmly (a status, not an alert)", async () => {
    navigation.search = "next=%2Forders&reason=session-ended";
    renderSignIn();
    const notice = await screen.findByRole("status");
    expect(notice).toHaveTextContent(
      "You were signed out because your session ended: your password was changed, your account was deactivated, or you signed out on another device. Sign in again to continue.",
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says it in Thai too", async () => {
    navigation.search = "reason=session-ended";
    renderSignIn("th");
    expect(await screen.findByRole("status")).toHaveTextContent("เซสชันของคุณสิ้นสุดลง");
  });

  it("explains a sign-out in another tab", async () => {
    navigation.search = "reason=signed-out-elsewhere";
    renderSignIn();
    expect(await screen.findByRole("status")).toHaveTextContent("You signed out in another tab.");
  });

  it("says nothing without a reason or with one it does not know", async () => {
    for (const search of ["next=%2Forders", "reason=pwned", "reason=%3Cb%3Ehi%3C%2Fb%3E"]) {
      navigation.search = search;
      const { unmount } = renderSignIn();
      await screen.findByRole("button", { name: "Sign in" });
      expect(screen.queryByRole("status")).not.toBeInTheDocument();
      unmount();
    }
  });

  it("hides the explanation once signed in again", async () => {
    navigation.search = "next=%2Forders&reason=session-ended";
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ access_token: "fresh", token_type: "Bearer", expires_in: 900, user }), { status: 200 }),
    );
    renderSignIn();
    await screen.findByRole("status");
    const u = userEvent.setup();
    await u.type(screen.getByLabelText("Email"), user.email);
    await u.type(screen.getByLabelText("Password"), "new-password");
    await u.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(lastRedirect()).toBe("/orders"));
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });
});
