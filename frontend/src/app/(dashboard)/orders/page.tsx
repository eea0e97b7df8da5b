"use client";

import { Suspense } from "react";
import { useCurrentUser } from "@/features/auth/components/auth-provider";
import { useNewOrderAlerts } from "@/features/notifications/order-alerts";
import { OrdersBoard } from "@/features/orders/components/orders-board";

function Board() {
  const user = useCurrentUser();
  // The tab title counts the new orders the Alerts menu alerts about.
  const alertsAbout = useNewOrderAlerts(user.id);
  return <OrdersBoard actor={user} alertsAbout={alertsAbout} />;
}

export default function OrdersPage() {
  return (
    <Suspense>
      <Board />
    </Suspense>
  );
}
