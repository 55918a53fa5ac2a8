/** Implementation of the ingestion engine; not API, may change in any release. */
package io.flowguard.bronze.core.internal;
