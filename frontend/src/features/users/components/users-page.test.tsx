import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { userKeys } from "../keys";
import type { Role, UserAccount, UserName } from "../types";
import { UsersPage } from "./users-page";

const ADMIN_PERMS = ["orders:read", "orders:create", "orders:update", "orders:assign", "orders:delete", "users:read", "users:manage"];
const admin = { id: "u-admin", display_name: "Ada Admin", permissions: ADMIN_PERMS };
const dispatcher = { id: "u-disp", display_name: "Dao Dispatcher", permissions: ["orders:read", "orders:update", "orders:assign", "orders:delete", "users:read"] };
const agent = { id: "u-agent", display_name: "Anan Agent", permissions: ["orders:read:assigned", "orders:update:assigned"] };

function account(id: string, email: string, display_name: string, roles: string[], active = true): UserAccount {
  return { id, email, display_name, roles, permissions: [], active, created_at: "2026-11-26T08:00:00Z", updated_at: "2026-11-26T08:00:00Z" };
}

const ROLES: Role[] = ["admin", "dispatcher", "agent", "viewer", "storefront"].map((name) => ({ name, description: `${name} role`, permissions: [] }));

interface Call {
  method: string;
  path: string;
  body: unknown;
}

let accounts: UserAccount[];
let calls: Call[];
/** What the next write answers, when not the default success. */
let nextWrite: { status: number; body: unknown } | null;

function json(status: number, body: unknown, type = "application/json") {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
}

function problem(status: number, kind: string, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return { status, body: { type: `https://lom.example/problems/${kind}`, title, status, detail, request_id: "req-1", ...extra } };
}

beforeEach(() => {
  accounts = [account("u-admin", "admin@example.com", "Ada Admin", ["admin"]), account("u-disp", "dispatcher@example.com", "Dao Dispatcher", ["dispatcher"])];
  calls = [];
  nextWrite = null;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(String(input));
      const method = init.method ?? "GET";
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, path: `${url.pathname}${url.search}`, body });
      if (method === "GET" && url.pathname.endsWith("/roles")) return json(200, ROLES);
      if (method === "GET" && url.pathname.endsWith("/users")) return json(200, accounts);
      if (nextWrite) {
        const answer = nextWrite;
        nextWrite = null;
        return json(answer.status, answer.body, "application/problem+json");
      }
      if (method === "POST" && url.pathname.endsWith("/users")) {
        const created = account(`u-${accounts.length}`, body.email, body.display_name ?? body.email.split("@")[0], body.roles);
        accounts = [...accounts, created];
        return json(201, created);
      }
      const id = url.pathname.split("/").pop();
      const current = accounts.find((a) => a.id === id)!;
      const updated = {
        ...current,
        ...(body.display_name ? { display_name: body.display_name } : {}),
        ...(body.roles ? { roles: body.roles } : {}),
        ...(body.active !== undefined ? { active: body.active } : {}),
      };
      accounts = accounts.map((a) => (a.id === id ? updated : a));
      return json(200, updated);
    }),
  );
});

afterEach(() => vi.unstubAllGlobals());

const writes = () => calls.filter((c) => c.method !== "GET");

describe("UsersPage", () => {
  it("lists every account, inactive ones included, read-only for a dispatcher", async () => {
    renderWithProviders(<UsersPage actor={dispatcher} />);
    expect(await screen.findByRole("cell", { name: "dispatcher@example.com" })).toBeInTheDocument();
    expect(calls.some((c) => c.path.endsWith("/users?include_inactive=true"))).toBe(true);
    expect(screen.getByText("You can see the accounts but not change them.")).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "New account" })).toBeNull();
    expect(screen.queryByRole("button", { name: /Deactivate/ })).toBeNull();
  });

  it("tells someone without users:read that they may not see accounts, and asks nothing", () => {
    renderWithProviders(<UsersPage actor={agent} />);
    expect(screen.getByRole("alert")).toHaveTextContent("You are not allowed to see the accounts.");
    expect(calls).toHaveLength(0);
  });

  it("creates an account with the chosen roles and shows it in the list", async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersPage actor={admin} />);
    const form = await screen.findByRole("form", { name: "New account" });
    await user.type(within(form).getByLabelText("Email"), "nok@example.com");
    await user.type(within(form).getByLabelText("Display name"), "Nok Newcomer");
    await user.type(within(form).getByLabelText("Password"), "a-long-password");
    await user.click(within(form).getByLabelText("agent"));
    await user.click(within(form).getByLabelText("viewer"));
    await user.click(within(form).getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("cell", { name: "nok@example.com" })).toBeInTheDocument();
    expect(writes()).toEqual([
      { method: "POST", path: "/api/v1/users", body: { email: "nok@example.com", display_name: "Nok Newcomer", password: "a-long-password", roles: ["agent", "viewer"] } },
    ]);
    expect(within(form).getByRole("status")).toHaveTextContent("Created nok@example.com.");
    expect(within(form).getByLabelText("Email")).toHaveValue("");
  });

  it("marks the board's names stale after creating or deactivating an account", async () => {
    const user = userEvent.setup();
    const names: UserName[] = accounts.map(({ id, display_name, active }) => ({ id, display_name, active, works_orders: true }));
    const { queryClient } = renderWithProviders(<UsersPage actor={admin} />);
    const seedNames = () => queryClient.setQueryData(userKeys.names(), names);
    const namesStale = () => queryClient.getQueryState(userKeys.names())?.isInvalidated;
    seedNames();
    expect(namesStale()).toBe(false);

    const form = await screen.findByRole("form", { name: "New account" });
    await user.type(within(form).getByLabelText("Email"), "nok@example.com");
    await user.type(within(form).getByLabelText("Password"), "a-long-password");
    await user.click(within(form).getByLabelText("agent"));
    await user.click(within(form).getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(namesStale()).toBe(true));

    seedNames();
    await user.click(screen.getByRole("button", { name: "Deactivate Dao Dispatcher" }));
    await user.click(within(screen.getByRole("group", { name: "Deactivate Dao Dispatcher" })).getByRole("button", { name: "Yes, deactivate" }));
    await waitFor(() => expect(namesStale()).toBe(true));
  });

  it("checks the email before sending, and says what is wrong with it", async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersPage actor={admin} />);
    const form = await screen.findByRole("form", { name: "New account" });
    await user.type(within(form).getByLabelText("Email"), "nok@example");
    await user.type(within(form).getByLabelText("Password"), "a-long-password");
    await user.click(within(form).getByLabelText("agent"));
    await user.click(within(form).getByRole("button", { name: "Create account" }));
    expect(within(form).getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByText("Enter a valid email address, like name@example.com.")).toBeInTheDocument();
    expect(writes()).toHaveLength(0);

    await user.type(within(form).getByLabelText("Email"), ".com");
    await user.click(within(form).getByRole("button", { name: "Create account" }));
    await waitFor(() => expect(writes()).toHaveLength(1));
  });

  it("asks for the missing fields and a role before sending anything", async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersPage actor={admin} />);
    const form = await screen.findByRole("form", { name: "New account" });
    await user.click(within(form).getByRole("button", { name: "Create account" }));
    expect(within(form).getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByText("Choose at least one role.")).toBeInTheDocument();
    expect(writes()).toHaveLength(0);
  });

  it("explains a taken email (409) on the email field", async () => {
    const user = userEvent.setup();
    nextWrite = problem(409, "email-taken", "Email already in use", "Another account already uses this email.");
    renderWithProviders(<UsersPage actor={admin} />);
    const form = await screen.findByRole("form", { name: "New account" });
    await user.type(within(form).getByLabelText("Email"), "dispatcher@example.com");
    await user.type(within(form).getByLabelText("Password"), "a-long-password");
    await user.click(within(form).getByLabelText("viewer"));
    await user.click(within(form).getByRole("button", { name: "Create account" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Another account already uses this email.");
    expect(within(form).getByRole("alert")).toHaveTextContent("Request id: req-1");
    expect(within(form).getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
  });

  it("puts each 422 field error under its field", async () => {
    const user = userEvent.setup();
    nextWrite = problem(422, "validation", "Invalid request", "Some fields are invalid.", {
      errors: [
        { field: "password", message: "must be at least 10 characters" },
        { field: "roles[0]", message: 'no role is named "ghost"' },
      ],
    });
    renderWithProviders(<UsersPage actor={admin} />);
    const form = await screen.findByRole("form", { name: "New account" });
    await user.type(within(form).getByLabelText("Email"), "short@example.com");
    await user.type(within(form).getByLabelText("Password"), "short");
    await user.click(within(form).getByLabelText("agent"));
    await user.click(within(form).getByRole("button", { name: "Create account" }));
    const password = within(form).getByLabelText("Password");
    await waitFor(() => expect(password).toHaveAttribute("aria-invalid", "true"));
    expect(password).toHaveAccessibleDescription("must be at least 10 characters");
    expect(within(form).getByText('no role is named "ghost"')).toBeInTheDocument();
    expect(within(form).getByRole("alert")).toHaveTextContent("Check the highlighted fields.");
  });

  it("changes an account's roles", async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersPage actor={admin} />);
    await user.click(await screen.findByRole("button", { name: "Change roles of Dao Dispatcher" }));
    const row = screen.getByRole("cell", { name: "dispatcher@example.com" }).closest("tr")!;
    await user.click(within(row).getByLabelText("viewer"));
    await user.click(within(row).getByLabelText("dispatcher"));
    await user.click(within(row).getByRole("button", { name: "Save roles" }));
    await waitFor(() => expect(within(row).getAllByRole("cell")[2]).toHaveTextContent(/^viewer$/));
    expect(writes()).toEqual([{ method: "PATCH", path: "/api/v1/users/u-disp", body: { roles: ["viewer"] } }]);
  });

  it("deactivates an account, and cannot deactivate oneself", async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersPage actor={admin} />);
    expect(await screen.findByRole("button", { name: "Deactivate Ada Admin" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Deactivate Dao Dispatcher" }));
    // Asked first: nothing is sent until confirmed, and cancelling sends nothing.
    const confirm = screen.getByRole("group", { name: "Deactivate Dao Dispatcher" });
    expect(confirm).toHaveTextContent("Deactivate Dao Dispatcher? They are signed out everywhere");
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(writes()).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Deactivate Dao Dispatcher" }));
    await user.click(within(screen.getByRole("group", { name: "Deactivate Dao Dispatcher" })).getByRole("button", { name: "Yes, deactivate" }));
    expect(await screen.findByRole("button", { name: "Reactivate Dao Dispatcher" })).toBeInTheDocument();
    const row = screen.getByRole("cell", { name: "dispatcher@example.com" }).closest("tr")!;
    expect(within(row).getByText("Deactivated")).toBeInTheDocument();
    expect(writes()).toEqual([{ method: "PATCH", path: "/api/v1/users/u-disp", body: { active: false } }]);
    await user.click(screen.getByRole("button", { name: "Reactivate Dao Dispatcher" }));
    expect(await screen.findByRole("button", { name: "Deactivate Dao Dispatcher" })).toBeInTheDocument();
    expect(writes().at(-1)).toEqual({ method: "PATCH", path: "/api/v1/users/u-disp", body: { active: true } });
  });

  it("explains the last-admin protection (409) on the row", async () => {
    const user = userEvent.setup();
    accounts = [...accounts, account("u-admin2", "admin2@example.com", "Second Admin", ["admin"])];
    nextWrite = problem(409, "last-admin", "The last administrator must stay", "At least one active administrator must remain.");
    renderWithProviders(<UsersPage actor={admin} />);
    await user.click(await screen.findByRole("button", { name: "Change roles of Second Admin" }));
    const row = screen.getByRole("cell", { name: "admin2@example.com" }).closest("tr")!;
    await user.click(within(row).getByLabelText("admin"));
    await user.click(within(row).getByLabelText("viewer"));
    await user.click(within(row).getByRole("button", { name: "Save roles" }));
    expect(await within(row).findByRole("alert")).toHaveTextContent("At least one active administrator must remain: this change would remove the last one.");
    // The editor stays open with the choice, so it can be corrected.
    expect(within(row).getByLabelText("viewer")).toBeChecked();
  });

  it("renames an account, asking for a name before sending an empty one", async () => {
    const user = userEvent.setup();
    renderWithProviders(<UsersPage actor={admin} />);
    await user.click(await screen.findByRole("button", { name: "Rename Dao Dispatcher" }));
    const form = screen.getByRole("form", { name: "Rename Dao Dispatcher" });
    const input = within(form).getByLabelText("New name for Dao Dispatcher");
    expect(input).toHaveValue("Dao Dispatcher");
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.click(within(form).getByRole("button", { name: "Save name" }));
    expect(input).toHaveAccessibleDescription("Required.");
    expect(writes()).toHaveLength(0);
    await user.type(input, "  ดาว ผู้จัดการ ");
    await user.click(within(form).getByRole("button", { name: "Save name" }));
    expect(await screen.findByRole("cell", { name: "ดาว ผู้จัดการ" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: /^Rename/ })).toBeNull();
    expect(writes()).toEqual([{ method: "PATCH", path: "/api/v1/users/u-disp", body: { display_name: "ดาว ผู้จัดการ" } }]);
  });

  it("resets a password to a temporary one and says the sessions ended; a refused one is explained under the field", async () => {
    const user = userEvent.setup();
    nextWrite = problem(422, "validation", "Invalid request", "Some fields are invalid.", {
      errors: [{ field: "password", message: "must be at least 10 characters" }],
    });
    renderWithProviders(<UsersPage actor={admin} />);
    await user.click(await screen.findByRole("button", { name: "Reset the password of Dao Dispatcher" }));
    const form = screen.getByRole("form", { name: "Reset the password of Dao Dispatcher" });
    const input = within(form).getByLabelText("Temporary password for Dao Dispatcher");
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveAccessibleDescription(/They are signed out everywhere/);
    await user.type(input, "short");
    await user.click(within(form).getByRole("button", { name: "Set password" }));
    await waitFor(() => expect(input).toHaveAccessibleDescription("must be at least 10 characters"));
    expect(input).toHaveAttribute("aria-invalid", "true");

    await user.clear(input);
    await user.type(input, "temporary-pass-2026");
    await user.click(within(form).getByRole("button", { name: "Set password" }));
    expect(await screen.findByRole("status")).toHaveTextContent(
      "Password reset: Dao Dispatcher was signed out everywhere and signs in with the temporary password.",
    );
    expect(screen.queryByRole("form", { name: /^Reset the password/ })).toBeNull();
    expect(writes()).toEqual([
      { method: "PATCH", path: "/api/v1/users/u-disp", body: { password: "short" } },
      { method: "PATCH", path: "/api/v1/users/u-disp", body: { password: "temporary-pass-2026" } },
    ]);
  });

  it("says on the row why one's own account and the only active admin cannot be deactivated", async () => {
    const mine = renderWithProviders(<UsersPage actor={admin} />);
    const own = await screen.findByRole("button", { name: "Deactivate Ada Admin" });
    expect(own).toBeDisabled();
    expect(own).toHaveAccessibleDescription("You cannot deactivate yourself: ask another administrator.");

    mine.unmount();

    // Seen by another administrator whose account is not listed: Ada is the only active admin.
    renderWithProviders(<UsersPage actor={{ ...admin, id: "u-ops" }} />);
    const last = await screen.findByRole("button", { name: "Deactivate Ada Admin" });
    expect(last).toBeDisabled();
    expect(last).toHaveAccessibleDescription(/^The only active administrator: cannot be deactivated or lose the admin role/);
    expect(screen.getByRole("button", { name: "Deactivate Dao Dispatcher" })).toBeEnabled();
  });
});

