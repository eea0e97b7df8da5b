import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "@/lib/api";
import { renderWithProviders } from "@/test/render";
import { SignInForm } from "./sign-in-form";

function problem(status: number, type: string, headers: Record<string, string> = {}, extra: object = {}) {
  return new Response(JSON.stringify({ type: `https://lom.example/problems/${type}`, title: type, status, request_id: "req-42", ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

const user = { id: "u1", email: "admin@example.com", display_name: "Admin", roles: ["admin"], permissions: ["orders:read"] };
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
  api.tokens.set(null);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function fillAndSubmit(email = "admin@example.com", password = "secret") {
  const u = userEvent.setup();
  await u.type(screen.getByLabelText("Email"), email);
  await u.type(screen.getByLabelText("Password"), password);
  await u.click(screen.getByRole("button", { name: "Sign in" }));
  return u;
}

describe("SignInForm", () => {
  it("signs in, keeps the token in memory and reports the user", async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ access_token: "tok", token_type: "Bearer", expires_in: 900, user }), { status: 200 }),
    );
    const onSignedIn = vi.fn();
    renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);
    await fillAndSubmit();
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(user));
    expect(api.tokens.get()).toBe("tok");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("http://localhost:8080/api/v1/auth/login");
    expect(init.credentials).toBe("include");
    expect(JSON.parse(String(init.body))).toEqual({ email: "admin@example.com", password: "secret" });
  });

  it("shows one clear message on 401, whatever was wrong", async () => {
    fetchMock.mockResolvedValue(problem(401, "invalid-credentials"));
    const onSignedIn = vi.fn();
    renderWithProviders(<SignInForm onSignedIn={onSignedIn} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password.");
    expect(screen.getByRole("alert")).toHaveTextContent("req-42");
    expect(onSignedIn).not.toHaveBeenCalled();
    // A bad login never triggers a token refresh.
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("on 429 tells how long to wait and blocks the button meanwhile", async () => {
    fetchMock.mockResolvedValue(problem(429, "rate-limited", { "retry-after": "30" }));
    renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    const u = await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent(/Too many sign-in attempts\. Try again in (30|29) s\./);
    const button = screen.getByRole("button", { name: "Sign in" });
    expect(button).toBeDisabled();
    await u.click(button);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("on 429 without Retry-After still explains", async () => {
    fetchMock.mockResolvedValue(problem(429, "rate-limited"));
    renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Wait a moment and try again.");
  });

  it("shows field errors from a validation problem", async () => {
    fetchMock.mockResolvedValue(
      problem(422, "validation-failed", {}, { detail: "Invalid input", errors: [{ field: "email", message: "must be an email address" }] }),
    );
    renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await fillAndSubmit("not-an-email");
    expect(await screen.findByText("must be an email address")).toBeInTheDocument();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
  });

  it("explains when the server cannot be reached", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await fillAndSubmit();
    expect(await screen.findByRole("alert")).toHaveTextContent("Cannot reach the server");
  });

  it("asks for both fields before calling the server", async () => {
    renderWithProviders(<SignInForm onSignedIn={vi.fn()} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign in" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Enter your email and password.");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
