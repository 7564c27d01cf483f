/** "12 s", "3 min": how a throttled sign-in says how long to wait (the form counts down with it too). */
export const waitText = (seconds: number): string => (seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);
