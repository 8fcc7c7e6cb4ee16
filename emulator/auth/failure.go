package auth

import "fmt"

// Reason says why the validator refused a request; every Reason is a 401.
type Reason string

// The reasons a bearer token is refused.
const (
	ReasonMissing      Reason = "missing"        // no Authorization header, or no token in it
	ReasonNotBearer    Reason = "not-bearer"     // an Authorization scheme other than Bearer
	ReasonMalformed    Reason = "malformed"      // not a decodable JWT, or no exp claim
	ReasonWrongAlg     Reason = "wrong-alg"      // alg other than RS256 (none, HS256 forgeries)
	ReasonUnknownKey   Reason = "unknown-key"    // kid names no key the vault trusts
	ReasonBadSignature Reason = "bad-signature"  // RS256 signature does not verify
	ReasonAudience     Reason = "wrong-audience" // aud is not https://vault.azure.net
	ReasonIssuer       Reason = "wrong-issuer"   // iss or tid is not the vault's tenant
	ReasonExpired      Reason = "expired"        // exp passed (beyond the skew allowance)
	ReasonNotYetValid  Reason = "not-yet-valid"  // nbf ahead (beyond the skew allowance)
)

// Failure is a refused token: the Reason, for programs, and Message, the text of
// the 401 body, for people.
//
// The messages follow the real service where its text could be confirmed from
// public captures:
//   - AKV10000 "Request is missing a Bearer or PoP token." — Azure/azure-sdk-for-go
//     azsecrets testdata recordings (401 challenge responses);
//   - AKV10022 "Invalid audience. Expected https://vault.azure.net, found: ..." —
//     Azure/go-autorest#525, crossplane-contrib/provider-azure#346;
//   - AKV10032 "Invalid issuer. Expected one of https://sts.windows.net/<t>/, found
//     https://sts.windows.net/<t>/." — MicrosoftDocs/azure-docs#75410;
//   - AKV10046 "Unable to resolve the key used for signature validation.
//     EncodedJwtHeader: '...'." — Azure-Samples/azuresandbox#188, #362;
//   - "[TokenExpired] Error validating token: 'S2S12086'." —
//     Azure/azure-sdk-for-java#24305;
//   - "Token not yet valid" — Azure/azure-sdk-for-java#26624 (there with an
//     Activity ID, which the emulator leaves out).
//
// Not confirmed, and numbered by the emulator in the same style: AKV10021 for a
// malformed token and AKV10023 for a signature that does not verify or an
// algorithm other than RS256.
type Failure struct {
	Reason  Reason
	Message string
}

func (f *Failure) Error() string { return "token refused (" + string(f.Reason) + "): " + f.Message }

// MessageMissing is the 401 text for a request without a bearer token.
const MessageMissing = "AKV10000: Request is missing a Bearer or PoP token."

func failMissing() *Failure { return &Failure{ReasonMissing, MessageMissing} }

func failNotBearer() *Failure { return &Failure{ReasonNotBearer, MessageMissing} }

func failMalformed(why string) *Failure {
	return &Failure{ReasonMalformed, "AKV10021: Invalid token format: " + why + "."}
}

func failWrongAlg(alg string) *Failure {
	return &Failure{ReasonWrongAlg, fmt.Sprintf("AKV10023: Invalid token signature algorithm. Expected RS256, found: %s.", alg)}
}

func failUnknownKey(encodedHeader string) *Failure {
	return &Failure{ReasonUnknownKey, fmt.Sprintf("AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '%s'.", encodedHeader)}
}

func failBadSignature() *Failure {
	return &Failure{ReasonBadSignature, "AKV10023: Invalid token signature."}
}

func failAudience(want, found string) *Failure {
	return &Failure{ReasonAudience, fmt.Sprintf("AKV10022: Invalid audience. Expected %s, found: %s.", want, found)}
}

func failIssuer(want, found string) *Failure {
	return &Failure{ReasonIssuer, fmt.Sprintf("AKV10032: Invalid issuer. Expected one of %s, found %s.", want, found)}
}

func failExpired() *Failure {
	return &Failure{ReasonExpired, "[TokenExpired] Error validating token: 'S2S12086'."}
}

func failNotYetValid() *Failure { return &Failure{ReasonNotYetValid, "Token not yet valid."} }
