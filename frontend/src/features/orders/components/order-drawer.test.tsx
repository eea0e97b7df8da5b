import { screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderWithProviders } from "@/test/render";
import { peopleFrom } from "../people";
import { OrderDrawer } from "./order-drawer";

const viewer = { id: "v1", display_name: "Vee Viewer", permissions: ["orders:read"] };
const people = peopleFrom([]);

function problem(status: number, kind: string, detail: string) {
  const body = { type: `urn:lom:problem:${kind}`, title: kind, status, detail, instance: "/api/v1/orders/x" };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/problem+json" } });
}

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function drawer(orderId: string) {
  return renderWithProviders(<OrderDrawer orderId={orderId} actor={viewer} people={people} onClose={() => {}} />);
}

describe("an order the drawer cannot show", () => {
  it("a malformed id (400 bad-request) is no such order, not a load error", async () => {
    fetchMock.mockResolvedValue(problem(400, "bad-request", "A path parameter is invalid: UUID parsing failed"));
    drawer("not-a-uuid");
    expect(await screen.findByText("This link does not name an order: its id is malformed.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Order not available" })).toBeInTheDocument();
    expect(screen.queryByText("The order could not be loaded.")).toBeNull();
  });

  it("a 404 is an order deleted or out of sight", async () => {
    fetchMock.mockResolvedValue(problem(404, "not-found", "No such order."));
    drawer("0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b");
    expect(await screen.findByText("This order was deleted, or is no longer visible to you.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Order not available" })).toBeInTheDocument();
  });

  it("any other 400 or failure stays a load error", async () => {
    fetchMock.mockResolvedValue(problem(400, "validation-failed", "Something else."));
    drawer("0195b6a4-1c2d-7e3f-8a9b-0c1d2e3f4a5b");
    expect(await screen.findByText(/Something else|could not be loaded/)).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Order not available" })).toBeNull();
  });
});
