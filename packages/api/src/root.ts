import { auditRouter } from './routers/audit/router.ts';
import { connectionRouter } from './routers/connection/router.ts';
import { refundRouter } from './routers/refund/router.ts';
import { merchantRouter } from './routers/merchant/router.ts';
import { paymentLinkRouter } from './routers/payment-link/router.ts';
import { subscriptionRouter } from './routers/subscription/router.ts';
import { authRouter } from './routers/auth/router.ts';
import { sessionRouter } from './routers/session/router.ts';
import { settingsRouter } from './routers/settings/router.ts';
import { transactionRouter } from './routers/transaction/router.ts';
import { userRouter } from './routers/user/router.ts';
import { viewRouter } from './routers/view/router.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  session: sessionRouter,
  user: userRouter,
  audit: auditRouter,
  settings: settingsRouter,
  connection: connectionRouter,
  transaction: transactionRouter,
  refund: refundRouter,
  view: viewRouter,
  paymentLink: paymentLinkRouter,
  subscription: subscriptionRouter,
  merchant: merchantRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
