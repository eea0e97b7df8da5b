/** Auth DTOs (SPEC §4 Auth). */
export interface User {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  permissions: string[];
}

export interface LoginInput {
  email: string;
  password: string;
}

export interface LoginResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  user: User;
}
