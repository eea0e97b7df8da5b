"use client";

import { useCurrentUser } from "@/features/auth/components/auth-provider";
import { UsersPage } from "@/features/users/components/users-page";

export default function Users() {
  const user = useCurrentUser();
  return <UsersPage actor={user} />;
}
