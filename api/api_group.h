// The API group and version that modelgate's custom resources belong to.
#pragma once

namespace modelgate {

inline constexpr char kApiGroup[] = "modelgate.io";
inline constexpr char kApiGroupVersion[] = "v1alpha1";
// The apiVersion field of every modelgate object.
inline constexpr char kApiVersion[] = "modelgate.io/v1alpha1";

}  // namespace modelgate
