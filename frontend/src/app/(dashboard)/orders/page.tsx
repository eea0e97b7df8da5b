"use client";

import { Suspense } from "react";
import { useCurrentUser } from "@/features/auth/components/auth-provider";
import { OrdersBoard } from "@/features/orders/components/orders-board";

function Board() {
  const user = useCurrentUser();
  return <OrdersBoard actor={user} />;
}

export default function OrdersPage() {
  return (
    <Suspense>
      <Board />
    </Suspense>
  );
}
