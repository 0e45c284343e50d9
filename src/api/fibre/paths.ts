/** Seed 002's base path: every fibre route is under it. */
export const FIBRE_PATH = '/api/1.0';

/** Where a created inquiry and order are read: their Location. */
export const inquiryLocation = (inquiryId: string): string => `${FIBRE_PATH}/inquiries/${inquiryId}`;
export const orderLocation = (orderId: string): string => `${FIBRE_PATH}/orders/${orderId}`;
