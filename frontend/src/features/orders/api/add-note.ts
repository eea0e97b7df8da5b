import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api";
import { orderKeys } from "../keys";

/** `POST /orders/{id}/notes` (`orders:update`: agents on their own orders): an internal note, plain text. */
export function addNote(id: string, text: string): Promise<unknown> {
  return api.request(`/orders/${encodeURIComponent(id)}/notes`, { method: "POST", body: { text } });
}

/** The note shows in the timeline when the order is read again (here, and live by `order.noted` elsewhere). */
export function useAddNote(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => addNote(orderId, text),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orderKeys.detail(orderId) }),
  });
}
