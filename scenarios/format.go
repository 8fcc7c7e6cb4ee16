// Package scenarios reads kvquota scenario files: what to set up in a vault, the
// stages of offered load (steps and linear ramps), the operation mix, and the
// checks a run must pass. Loading validates everything and names the file, line
// and field of the first problem. The built-in scenarios are embedded so that
// `kvquota run secrets-onset` works from any directory.
//
// # File format
//
// A scenario is one YAML document, a mapping of the fields below. Unknown
// fields are errors, so a typo never passes silently; so are fields set twice
// and fields with no value. YAML anchors, aliases and merge keys (<<: *base)
// work anywhere, and top-level fields whose names start with "x-" are ignored,
// to hold anchors:
//
//	name: secrets-onset
//	description: Secret reads ramp past the documented limit.
//	profile: "2021"
//	window: sliding
//	seed: 1
//	setup:
//	  - {op: set-secret, name: "onset-{i}", count: 50, size: 32}
//	stages:
//	  - {duration: 10s, rate: 50%}            # 50% of the mix's limit rate, constant
//	  - {duration: 30s, rate: 50%, to: 200%}  # a linear ramp
//	  - {duration: 10s, rate: 300}            # absolute: 300 requests/s
//	mix:
//	  - {op: get-secret, weight: 9, name: "onset-{i}", count: 50}
//	  - {op: set-secret, weight: 1, name: "w-{i}", count: 10, size: 64}
//	expect:
//	  - {check: onset, tolerance: 1%}
//	  - {check: no-early-throttle}
//	  - {check: error-shape}
//
// # Top-level fields
//
//   - name: identifies the scenario in reports and run directory names: 1 to 64
//     letters, digits, '.', '_' or '-'. Default: the file name without its
//     extension.
//   - description: one or two sentences saying what the scenario proves; it
//     goes into reports. Optional.
//   - profile: the limits profile (documentation revision) the run is judged
//     against, and that relative rates are fractions of: "2018" or "2021"
//     (`kvquota limits` prints them). Default: the current documentation, 2021.
//     Quote it or not; profile: 2021 works too.
//   - window: how the checks assume the target counts transactions, and how the
//     embedded emulator counts them: "sliding" (at most the limit in any 10 s)
//     or "fixed" (10 s buckets), or "token-bucket" (the emulator refills a
//     window's worth continuously; the checks then count as sliding).
//     Default: sliding.
//   - target: the URL of a vault to attack, such as
//     https://myvault.vault.azure.net. Default: the embedded emulated vault.
//     The command line's --target wins over it.
//   - limits: per-class limits (transactions per window) that replace the
//     profile's, for a vault whose limits Microsoft raised: {secrets: 6000}.
//     Class names are those `kvquota limits` prints (secrets, secrets-create,
//     rsa2048-hsm-other, ...). Relative rates and checks use the raised figures.
//   - seed: a whole number that makes the operation mix and the generated
//     secret values the same from run to run. Default: 0.
//   - clients: spread the attack's requests, round robin, over this many
//     client identities of the embedded emulator (1 to 50), each with its
//     own token from the emulator's token endpoint and its own loopback
//     source address (127.0.0.1, 127.0.0.2, ...). Quota is per vault, not
//     per client, so the checks judge the clients' sum against the vault's
//     limit. Embedded emulator only. Default: 1.
//   - setup: steps that run once, before the attack, to create what the mix
//     reads. Their traffic is not judged, and the runner lets it leave the
//     window before the attack starts. Optional.
//   - stages: the offered load over time, in order. Required, at least one; in
//     all at most one hour.
//   - mix: the weighted operations the attack draws each request from.
//     Required, at least one.
//   - expect: the checks the run must pass; a run with none only measures.
//
// # Setup steps (setup:)
//
//   - op: what to do: set-secret or create-key. Required.
//   - name: a secret name pattern; "{i}" stands for 0, 1, ... count-1, so
//     name: "app-{i}" with count: 50 creates app-0 ... app-49. After expansion
//     every name must be a valid Key Vault name: 0-9, a-z, A-Z and '-', 1 to 127
//     characters. Required.
//   - count: how many secrets to create (1 to 100000, and at most 100000 over
//     all steps). Required when the name uses {i}; default 1. Without {i} in the
//     name, count sets that many versions of the one secret.
//   - size: the length in bytes of the generated values (1 to 25600).
//     Default: 32.
//   - kty, key-size, curve: create-key only, as Key Vault's create call
//     takes them: kty is RSA, RSA-HSM, EC or EC-HSM (required); key-size is
//     2048 (the default), 3072 or 4096 for RSA; curve is P-256 (the
//     default), P-384, P-521 or P-256K for EC. They decide the key's row of
//     the limits tables, and so the class of every operation on it. The
//     emulator's HSM keys are software keys classed as HSM.
//
// # Stages (stages:)
//
//   - duration: how long the stage lasts, as a Go duration: 30s, 1m30s, 500ms.
//     Required, positive.
//   - rate: the offered rate at the start of the stage, either a number of
//     requests per second (300, 12.5, or 300/s) or a percentage of the mix's
//     limit rate (80%). Required; 0 to 100000 requests/s, or 0% to 10000%.
//   - to: when given, the rate moves linearly from rate to to over the stage
//     (a ramp); otherwise it stays at rate. Same form as rate.
//
// The mix's limit rate is the offered rate at which the weighted mix exactly
// fills one window of the profile: with weights w_i over operations of class
// c_i, r = 1 / (10 s × Σ (w_i/Σw) / limit(c_i)). A mix of get-secret alone has
// 400 requests/s under profile 2021 (4000 per 10 s); nine gets to one set has
// 1 / (10 × (0.9/4000 + 0.1/300)) ≈ 179 requests/s. A rate of 0 pauses the
// attack (a ramp may start or end at 0), but the stages together must offer
// at least one request.
//
// # Operations (mix:)
//
//   - op: one of get-secret (GET /secrets/{name}), set-secret (PUT
//     /secrets/{name}, a secret CREATE), list-secrets (GET /secrets),
//     list-secret-versions (GET /secrets/{name}/versions) and delete-secret
//     (DELETE /secrets/{name}); and on keys create-key (POST
//     /keys/{name}/create, the key type's CREATE), get-key (GET
//     /keys/{name}), sign, verify, encrypt and wrap-key (POST
//     /keys/{name}/{op}), each one of the key type's "all other";
//     import-key (PUT /keys/{name} with a real private JWK) and
//     import-certificate (POST /certificates/{name}/import of a self-signed
//     certificate with its key, as PEM), whose row depends on the profile
//     (limits.Profile.ImportClass: the shared secrets-create row under
//     2025, the imported key type's CREATE under 2018 and 2021); and
//     auth-probe, which sends the authentication and access cases of
//     AuthCases in turn (each a get-secret of "<name>-<case>" with the
//     credentials or from the loopback source address the case calls for),
//     for the auth check. Required.
//   - weight: the share of requests drawn for this entry, relative to the
//     others' weights. Positive; default 1.
//   - name: the secret name pattern, as in setup; "{i}" stands for a number
//     drawn uniformly from 0 to count-1 for each request, with the scenario's
//     seed. Required for every operation but list-secrets, which takes none.
//     get-secret, list-secret-versions and delete-secret must name only
//     secrets a setup step creates: anything else would answer 404.
//     delete-secret takes its numbers in order (0, 1, 2, ...) instead of
//     drawing them, so no secret is deleted twice until all count have been;
//     its count must cover the deletes the stages send (each secret can be
//     deleted once), and it may not use names that other entries use.
//   - count: how many numbers {i} stands for (1 to 100000). Required when the
//     name uses {i}; an error without it.
//   - size: set-secret only: the length in bytes of the generated values
//     (1 to 25600). Default: 32.
//   - max-results: list-secrets and list-secret-versions only: the page size
//     asked for (1 to 25). Default: the service's (25).
//   - kty, key-size, curve: create-key and import-key, as in setup (no
//     P-256K for import-key); import-certificate takes kty RSA (2048, the
//     default) or EC (curve P-256). The other key
//     operations take the key their name points at, which a create-key
//     setup step must create (one row per entry: the keys an entry spreads
//     over must all be of one type). encrypt and wrap-key need RSA keys.
//   - vaults: spread the entry's requests evenly over this many vaults of
//     the embedded emulator (1 to 50; the first is the emulator's own, the
//     others are reached at /vaults/v1, /vaults/v2, ...). The vaults share
//     one subscription, which holds 5x a vault's transactions: this is how
//     a scenario makes the subscription, not a vault, throttle. Embedded
//     emulator only.
//
// # Checks (expect:)
//
//   - check: one of
//     onset (the first 429 of each class comes when the window fills, as the
//     profile predicts from the offered load),
//     no-early-throttle (no 429 before the window can be full),
//     no-throttle (no 429 at all; for scenarios below the limit),
//     goodput (under overload the successes per window hold at the limit),
//     error-shape (every 401, 403 and 429 carries Key Vault's error body and
//     headers),
//     subscription-onset (for a mix spread over vaults: the first 429 comes
//     when the subscription's window, all vaults together, holds 5x a
//     vault's limit, from the subscription's bucket while the vault had
//     room),
//     vault-onset (the other way: for a mix spread over vaults that leave
//     the subscription room, the first 429 comes when its vault's own
//     window holds the vault's limit, from the vault's bucket),
//     auth (for an auth-probe mix: every case is answered as Key Vault
//     answers it: status, error code, innererror and, for 401, a Bearer
//     challenge a client can follow; one verdict per case),
//     answered (every request got an HTTP answer; judged on every run in
//     which a request got none, such as a target that died mid-run, even
//     unasked; a tolerance allows that share of requests to go unanswered).
//     Required; each check at most once (goodput once per stage).
//   - tolerance: how far the measured figure may be from the expected one,
//     relative: 1% or 0.01. Above 0 and below 100%; default: the check's own.
//     A bare number of 1 or more is refused: write 1% for one percent.
//   - stage: goodput only: the stage (numbered from 1) to measure. Default:
//     every stage offered above the limit.
//
// # Errors
//
// Every problem comes back as an *Error naming the file, line, column and
// field, with list indices counted from 0 as they appear in the file:
//
//	scenarios/x.yaml:12:5: stages[1].rate: "fast" is not a rate (want a number of requests/s or a percentage of the limit such as 80%)
package scenarios
