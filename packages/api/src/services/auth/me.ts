import type { Permission, Role } from '@paydesk/domain';
import type { AuthState } from '../../context.ts';

export interface MeUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  permissions: Permission[];
  mfaEnabled: boolean;
}

export type Me =
  | { state: 'signed_out' }
  | {
      state: 'password_change' | 'mfa_enrolment' | 'mfa_verify' | 'signed_in';
      user: MeUser;
      mfaRequired: boolean;
    };

export function meOf(auth: AuthState | null, mfaRequired: boolean): Me {
  if (!auth) return { state: 'signed_out' };
  return {
    state: auth.stage,
    user: { ...auth.user, permissions: [...auth.permissions] },
    mfaRequired,
  };
}
