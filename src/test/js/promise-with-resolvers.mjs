// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node has from 22 on: this fills it in on Node 20.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};
